"""Tests of the client against a real running actorgraph server with the
seed graph loaded (ACTORGRAPH_URL, e.g. http://127.0.0.1:8080)."""

import inspect
import itertools
import json
import os

import networkx as nx
import pandas as pd
import pytest

from actorgraph import Client, GraphQLError, read_node_link

URL = os.environ.get("ACTORGRAPH_URL")
pytestmark = pytest.mark.skipif(not URL, reason="ACTORGRAPH_URL not set (a running server with the seed)")


@pytest.fixture(scope="module")
def client():
    return Client(URL, api_key=os.environ.get("ACTORGRAPH_API_KEY"))


def test_query_and_errors(client):
    data = client.query("query($id: ID!) { actor(id: $id) { name } }", {"id": "russia"})
    assert data == {"actor": {"name": "Russia"}}
    with pytest.raises(GraphQLError) as e:
        client.query('{ relations(filter: {from: "Atlantis"}) { totalCount } }')
    assert e.value.codes == ["NOT_FOUND"]


def test_relations_frame(client):
    total = client.query("{ relations { totalCount } }")["relations"]["totalCount"]
    df = client.relations_frame(page_size=7)  # several pages
    assert len(df) == total and df["id"].is_unique
    assert list(df.columns[:9]) == ["id", "type", "from", "to", "attribution", "claimedBy", "status", "condition", "role"]
    deny = df[df["type"] == "DENIES"].iloc[0]
    assert deny["cameo"] == "016"  # a string, not 16.0
    assert pd.api.types.is_datetime64_any_dtype(df["occurred"])
    assert isinstance(deny["evidence"], list) and deny["evidence"][0]["quote"]
    by_name = client.relations_frame(filter={"claimedBy": "Russia"})
    assert client.last_extensions["resolved"][0]["id"] == "russia"
    assert set(by_name["attribution"]) == {"ALLEGED"} and "russia-attacks-convoy" not in set(by_name["id"])


def test_actors_frame(client):
    df = client.actors_frame(filter={"kinds": ["STATE"]})
    assert "russia" in set(df["id"]) and set(df["kind"]) == {"STATE"}
    assert list(df[df["id"] == "russia"]["aliases"].iloc[0]) == ["Moscow", "Russian Federation"]


def test_graph(client):
    g = client.graph()
    assert isinstance(g, nx.MultiDiGraph)
    total = client.query("{ relations { totalCount } }")["relations"]["totalCount"]
    assert g.number_of_edges() == total
    attrs = g.get_edge_data("kerry", "russia")["kerry-threatens-russia"]
    assert attrs["status"] == "CONDITIONAL" and attrs["cameo"] == "1313" and len(attrs["evidence"]) == 3
    assert g.nodes["russia"]["kind"] == "STATE"
    local = client.graph(actor="Poznikhir", depth=1)
    assert local.has_edge("poznikhir", "kerry") and local.nodes["poznikhir"]["entity"] == "actor"


def test_subscribe_resumes_after_cursor(client):
    # From the oldest retained entry: the load that filled the server.
    rels = list(itertools.islice(client.subscribe(poll=0.1, stop=lambda: True), 6))
    assert len(rels) == 6 and all(r["id"] and r["type"] and r["change"] == "CREATED" for r in rels)
    assert len({r["cursor"] for r in rels}) == 6
    # Resuming after the third relation's cursor yields the fourth on, once each.
    again = list(itertools.islice(client.subscribe(after=rels[2]["cursor"], poll=0.1, stop=lambda: True), 3))
    assert [(r["cursor"], r["id"]) for r in again] == [(r["cursor"], r["id"]) for r in rels[3:]]


def test_subscribe_bad_cursor(client):
    with pytest.raises(GraphQLError) as e:
        next(client.subscribe(after="not-a-cursor", stop=lambda: True))
    assert e.value.codes == ["BAD_USER_INPUT"]


def test_csv_export_keeps_cameo_codes():
    # pd.read_csv with its defaults: a bare 016 would read as the number 16.
    df = pd.read_csv(URL.rstrip("/") + "/export/csv-edges")
    deny = df[df["relation"] == "DENIES"]
    assert list(deny["cameo"]) == ["cameo:016"]
    assert df["cameo"].dropna().str.startswith("cameo:").all()


def _api_graph(client):
    """The API's own view: node ids and every relation with the attributes
    the exports carry."""
    n = client.query("{ actors(first: 1000) { totalCount nodes { id name } } places(first: 1000) { totalCount nodes { id name } } }")
    assert n["actors"]["totalCount"] == len(n["actors"]["nodes"]) and n["places"]["totalCount"] == len(n["places"]["nodes"])
    names = {a["id"]: a["name"] for a in n["actors"]["nodes"] + n["places"]["nodes"]}
    return names, client.relations_frame().set_index("id")


def _same_as_api(g, names, rels):
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_nodes() == len(names) and set(g.nodes) == set(names)
    assert g.number_of_edges() == len(rels)  # parallel relations stay apart
    for u, v, k, d in g.edges(keys=True, data=True):
        r = rels.loc[k]
        assert (u, v) == (r["from"], r["to"]), k
        assert d["relation"] == r["type"] and d["attribution"] == r["attribution"] and d["status"] == r["status"], k
        assert d.get("claimed_by") == (None if pd.isna(r["claimedBy"]) else r["claimedBy"]), k
        assert d.get("cameo") == (None if pd.isna(r["cameo"]) else r["cameo"]), k
        assert [e["quote"] for e in d["evidence"]] == [e["quote"] for e in r["evidence"]], k
    for node, d in g.nodes(data=True):
        assert d["label"] == names[node]


def test_networkx_export_reads_with_networkx(client):
    data = json.loads(client.export("networkx"))
    assert "links" not in data and data["edges"]  # one edge list, the key networkx 3.6 reads by default
    names, rels = _api_graph(client)
    _same_as_api(read_node_link(data), names, rels)
    if "edges" in inspect.signature(nx.node_link_graph).parameters:
        _same_as_api(nx.node_link_graph(data, edges="edges"), names, rels)


def test_cytoscape_export_reads_with_networkx(client):
    data = json.loads(client.export("cytoscape"))
    g = nx.cytoscape_graph(data)
    names, rels = _api_graph(client)
    _same_as_api(g, names, rels)
    assert g.graph["scope"] == "all"
    # Round trip: networkx writes it back as Cytoscape JSON with the same elements.
    back = nx.cytoscape_graph(nx.cytoscape_data(g))
    assert sorted(back.edges(keys=True)) == sorted(g.edges(keys=True))
    assert back.nodes(data=True) == g.nodes(data=True)


def test_export_graph_filtered(client):
    g = client.export_graph("cytoscape", types="DENIES")
    rels = client.relations_frame(filter={"types": ["DENIES"]})
    assert sorted(k for _, _, k in g.edges(keys=True)) == sorted(rels["id"])
