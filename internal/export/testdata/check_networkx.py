"""Reads actorgraph's exports with their real consumers: networkx (node-link
JSON, GraphML, GEXF) and pandas (CSV), fetched over HTTP from a running
export handler, and checks what they hold.

Run by internal/export's Go tests (TestPythonConsumers), which start the
handler on the seed graph and pass its URL and the counts the store has:

    python3 check_networkx.py --base http://127.0.0.1:PORT/export/ \
        --nodes 24 --edges 41 --relation russia-attacks-convoy \
        --attribution ALLEGED --claimed-by usa --type ATTACKS

Works with networkx 2.8 and 3.x (the node-link export's edges are under
"edges", which node_link() below tells each version to read). GEXF 1.3 is read with networkx 3.6 and
later (older versions know only the 1.1/1.2 draft namespaces: they read the
?version=1.2draft export instead).
"""

import argparse
import inspect
import io
import json
import sys
import urllib.request

import networkx as nx
import pandas as pd


def fetch(url):
    with urllib.request.urlopen(url, timeout=60) as resp:
        return resp.read()


def nx_version():
    parts = []
    for p in nx.__version__.split(".")[:2]:
        digits = "".join(c for c in p if c.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def node_link(data, key):
    """node_link_graph reading the edge list under key, on any version."""
    params = inspect.signature(nx.node_link_graph).parameters
    if "edges" in params:  # 3.4+
        return nx.node_link_graph(data, edges=key)
    if "link" in params:  # 3.0 .. 3.3
        return nx.node_link_graph(data, link=key)
    # 2.x
    attrs = {"source": "source", "target": "target", "name": "id", "key": "key", "link": key}
    return nx.node_link_graph(data, attrs=attrs)


failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def check_graph(name, g, args, evidence_list):
    check(g.is_directed(), f"{name}: directed")
    check(g.is_multigraph(), f"{name}: multigraph")
    check(g.number_of_nodes() == args.nodes, f"{name}: {g.number_of_nodes()} nodes, want {args.nodes}")
    check(g.number_of_edges() == args.edges, f"{name}: {g.number_of_edges()} edges, want {args.edges}")
    found = [(u, v, d) for u, v, k, d in g.edges(keys=True, data=True) if k == args.relation]
    check(len(found) == 1, f"{name}: edge keyed {args.relation} found {len(found)} times")
    if found:
        u, v, d = found[0]
        check(d.get("attribution") == args.attribution, f"{name}: attribution {d.get('attribution')!r}")
        check(d.get("claimed_by") == args.claimed_by, f"{name}: claimed_by {d.get('claimed_by')!r}")
        check(d.get("relation") == args.type, f"{name}: relation {d.get('relation')!r}")
        ev = d.get("evidence")
        if evidence_list:
            check(isinstance(ev, list) and ev and ev[0].get("quote"), f"{name}: evidence {ev!r}")
        else:
            check(isinstance(ev, str) and ev, f"{name}: evidence {ev!r}")
    # Parallel relations stay separate edges.
    pairs = {}
    for u, v, k in g.edges(keys=True):
        pairs[(u, v)] = pairs.get((u, v), 0) + 1
    check(max(pairs.values(), default=0) > 1, f"{name}: no parallel edges kept")
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--nodes", type=int, required=True)
    ap.add_argument("--edges", type=int, required=True)
    ap.add_argument("--relation", required=True)
    ap.add_argument("--attribution", required=True)
    ap.add_argument("--claimed-by", required=True)
    ap.add_argument("--type", required=True)
    args = ap.parse_args()
    print(f"networkx {nx.__version__}, pandas {pd.__version__}", file=sys.stderr)

    data = json.loads(fetch(args.base + "networkx"))
    check("links" not in data, "node-link: the edges are written twice (links and edges)")
    check_graph("node-link (edges)", node_link(data, "edges"), args, True)
    if nx_version() >= (3, 6):  # "edges" is the default key from 3.6
        check_graph("node-link (default)", nx.node_link_graph(data), args, True)

    g = nx.cytoscape_graph(json.loads(fetch(args.base + "cytoscape")))
    check_graph("cytoscape", g, args, True)

    g = nx.read_graphml(io.BytesIO(fetch(args.base + "graphml")), force_multigraph=True)
    check_graph("graphml", g, args, False)

    if nx_version() >= (3, 6):
        g = nx.read_gexf(io.BytesIO(fetch(args.base + "gexf")))
        check_graph("gexf 1.3", g, args, False)
    g = nx.read_gexf(io.BytesIO(fetch(args.base + "gexf?version=1.2draft")))
    found = check_graph("gexf 1.2draft", g, args, False)
    check(g.graph.get("mode") == "dynamic", "gexf: not dynamic")
    if found:
        d = found[0][2]
        check(d.get("label") == args.type, f"gexf: label {d.get('label')!r}")
        check("start" in d and "end" in d, f"gexf: no start/end on {args.relation}: {d!r}")

    nodes = pd.read_csv(args.base + "csv-nodes", keep_default_na=False)
    edges = pd.read_csv(args.base + "csv-edges", keep_default_na=False)
    check(len(nodes) == args.nodes, f"csv-nodes: {len(nodes)} rows")
    check(len(edges) == args.edges, f"csv-edges: {len(edges)} rows")
    check(list(nodes.columns[:5]) == ["id", "label", "kind", "country", "cameo_code"], f"csv-nodes columns {list(nodes.columns)}")
    check(list(edges.columns[:4]) == ["id", "source", "target", "relation"], f"csv-edges columns {list(edges.columns)}")
    row = edges[edges["id"] == args.relation]
    check(len(row) == 1, f"csv-edges: {args.relation} found {len(row)} times")
    if len(row) == 1:
        check(row.iloc[0]["attribution"] == args.attribution, "csv-edges: attribution")
        check(row.iloc[0]["claimed_by"] == args.claimed_by, "csv-edges: claimed_by")
        check(row.iloc[0]["evidence"] != "", "csv-edges: evidence")
    ids = set(nodes["id"])
    check(set(edges["source"]) <= ids and set(edges["target"]) <= ids, "csv: an edge end is not a node")
    check(pd.to_numeric(edges["confidence"]).between(0, 1).all(), "csv-edges: confidence")

    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
