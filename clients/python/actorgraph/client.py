"""The actorgraph client: one HTTP session, GraphQL queries, cursor paging."""

import inspect
import json
import time

import networkx as nx
import pandas as pd
import requests


class GraphQLError(Exception):
    """The server answered with GraphQL errors. codes lists each error's
    extensions.code (BAD_USER_INPUT, NOT_FOUND, ...), errors the raw list."""

    def __init__(self, errors):
        self.errors = errors
        self.codes = [(e.get("extensions") or {}).get("code") for e in errors]
        super().__init__("; ".join(f"{c}: {e.get('message')}" for c, e in zip(self.codes, errors)))


_RELATION_FIELDS = """
  id type attribution status condition role cameoCode goldstein plover note asserted
  from { id } to { id } claimedBy { id }
  occurred { date precision } reported { date precision }
  source { id } event { id } place { id } alleges { id } denies { id }
  provenance { confidence method detail review }
  evidence { quote start end }
"""

_ACTOR_FIELDS = "id name kind aliases country cameoCode wikidata description"

# Column order of relations_frame: the JSON export's names.
RELATION_COLUMNS = [
    "id", "type", "from", "to", "attribution", "claimedBy", "status", "condition", "role",
    "occurred", "occurredPrecision", "reported", "reportedPrecision", "source", "event", "place",
    "alleges", "denies", "cameo", "goldstein", "plover", "confidence", "method", "detail",
    "review", "evidence", "note", "asserted",
]
ACTOR_COLUMNS = ["id", "name", "kind", "aliases", "country", "cameo", "wikidata", "description"]

_STRING_COLUMNS = [c for c in RELATION_COLUMNS if c not in ("occurred", "reported", "goldstein", "confidence", "evidence", "asserted")]


def _id(x):
    return x["id"] if x else None


def _relation_row(r):
    occ, rep, prov = r["occurred"], r["reported"], r["provenance"]
    return {
        "id": r["id"], "type": r["type"], "from": _id(r["from"]), "to": _id(r["to"]),
        "attribution": r["attribution"], "claimedBy": _id(r.get("claimedBy")), "status": r["status"],
        "condition": r.get("condition"), "role": r.get("role"),
        "occurred": occ.get("date"), "occurredPrecision": occ.get("precision"),
        "reported": rep.get("date"), "reportedPrecision": rep.get("precision"),
        "source": _id(r.get("source")), "event": _id(r.get("event")), "place": _id(r.get("place")),
        "alleges": _id(r.get("alleges")), "denies": _id(r.get("denies")),
        "cameo": r.get("cameoCode"), "goldstein": r.get("goldstein"), "plover": r.get("plover"),
        "confidence": prov.get("confidence"), "method": prov.get("method"), "detail": prov.get("detail"),
        "review": prov.get("review"), "evidence": [dict(e) for e in r.get("evidence") or []],
        "note": r.get("note"), "asserted": r.get("asserted"),
    }


def read_node_link(data):
    """networkx graph from actorgraph's node-link export (edges under
    "edges"), on any networkx: 3.6+ reads that key by default, 3.4/3.5 are
    told edges="edges", 3.0-3.3 link="edges", 2.8 attrs={"link": "edges"}."""
    params = inspect.signature(nx.node_link_graph).parameters
    if "edges" in params:
        return nx.node_link_graph(data, edges="edges")
    if "link" in params:
        return nx.node_link_graph(data, link="edges")
    return nx.node_link_graph(data, attrs={"source": "source", "target": "target", "name": "id", "key": "key", "link": "edges"})


def relations_to_frame(rows):
    """DataFrame of relation rows with the proper dtypes."""
    df = pd.DataFrame(rows, columns=RELATION_COLUMNS)
    for c in _STRING_COLUMNS:
        df[c] = df[c].astype("string")
    for c in ("occurred", "reported"):
        df[c] = pd.to_datetime(df[c], format="%Y-%m-%d", errors="coerce")
    df["goldstein"] = df["goldstein"].astype("float64")
    df["confidence"] = df["confidence"].astype("float64")
    df["asserted"] = df["asserted"].astype("boolean")
    df["evidence"] = df["evidence"].map(lambda v: v if isinstance(v, list) else [])
    return df


class Client:
    """A client of one actorgraph server. url is the server's root
    (http://host:port) or its /graphql endpoint; api_key, when given, is sent
    as a bearer token."""

    def __init__(self, url, api_key=None, timeout=60):
        url = url.rstrip("/")
        self.url = url if url.endswith("/graphql") else url + "/graphql"
        self.timeout = timeout
        self.session = requests.Session()
        if api_key:
            self.session.headers["Authorization"] = f"Bearer {api_key}"
        self.last_extensions = {}

    def query(self, text, variables=None):
        """Run a GraphQL query; return its data, raise GraphQLError on errors.
        The response's extensions (e.g. how actor names were resolved) are
        kept in last_extensions."""
        res = self.session.post(self.url, json={"query": text, "variables": variables or {}}, timeout=self.timeout)
        try:
            body = res.json()
        except ValueError:
            res.raise_for_status()
            raise
        self.last_extensions = body.get("extensions") or {}
        if body.get("errors"):
            raise GraphQLError(body["errors"])
        res.raise_for_status()
        return body["data"]

    def _pages(self, field, args_decl, args, selection, page_size):
        text = f"""query($after: String, $first: Int{args_decl}) {{
  list: {field}(after: $after, first: $first{''.join(f', {k}: ${k}' for k in args)}) {{
    nodes {{ {selection} }} pageInfo {{ hasNextPage endCursor }}
  }}
}}"""
        after = None
        while True:
            data = self.query(text, dict(args, after=after, first=page_size))["list"]
            yield from data["nodes"]
            if not data["pageInfo"]["hasNextPage"]:
                return
            after = data["pageInfo"]["endCursor"]

    def relations(self, filter=None, page_size=500):
        """Every relation matching filter (a RelationFilter dict), paging through cursors."""
        args = {"filter": filter} if filter else {}
        decl = ", $filter: RelationFilter" if filter else ""
        return list(self._pages("relations", decl, args, _RELATION_FIELDS, page_size))

    def relations_frame(self, filter=None, page_size=500):
        """relations() as a DataFrame with the JSON export's column names."""
        return relations_to_frame([_relation_row(r) for r in self.relations(filter, page_size)])

    def actors_frame(self, filter=None, page_size=500):
        """Actors matching filter (an ActorFilter dict) as a DataFrame."""
        args = {"filter": filter} if filter else {}
        decl = ", $filter: ActorFilter" if filter else ""
        rows = []
        for a in self._pages("actors", decl, args, _ACTOR_FIELDS, page_size):
            a = dict(a)
            a["cameo"] = a.pop("cameoCode")
            rows.append(a)
        df = pd.DataFrame(rows, columns=ACTOR_COLUMNS)
        for c in ACTOR_COLUMNS:
            if c != "aliases":
                df[c] = df[c].astype("string")
        df["aliases"] = df["aliases"].map(lambda v: v if isinstance(v, list) else [])
        return df

    def graph(self, actor=None, depth=1, limit=1000, per_node=1000):
        """A networkx.MultiDiGraph: the whole graph, or the neighbourhood of
        actor (id, name or alias) to depth hops. Nodes carry every actor or
        place field (and "entity": actor/place), edges every relation column,
        keyed by relation id."""
        g = nx.MultiDiGraph()
        if actor is None:
            rels = self.relations_frame()
            nodes = self.query("{ actors(first: 1000) { nodes { %s } } places(first: 1000) { nodes { id name kind country } } }" % _ACTOR_FIELDS)
            entities = [dict(a, entity="actor") for a in nodes["actors"]["nodes"]]
            entities += [dict(p, entity="place") for p in nodes["places"]["nodes"]]
        else:
            data = self.query(
                """query($a: ID!, $d: Int, $l: Int, $p: Int) { n: neighborhood(actor: $a, depth: $d, limit: $l, perNode: $p) {
  nodes { __typename id name ... on Actor { kind aliases country cameoCode } ... on Place { placeKind: kind country } }
  edges { %s } } }""" % _RELATION_FIELDS,
                {"a": actor, "d": depth, "l": limit, "p": per_node})["n"]
            rels = relations_to_frame([_relation_row(r) for r in data["edges"]])
            entities = []
            for n in data["nodes"]:
                n = dict(n)
                n["entity"] = "actor" if n.pop("__typename") == "Actor" else "place"
                if "placeKind" in n:
                    n["kind"] = n.pop("placeKind")
                entities.append(n)
        for e in entities:
            g.add_node(e["id"], **{k: v for k, v in e.items() if k != "id"})
        for rec in rels.to_dict("records"):
            attrs = {k: (None if k != "evidence" and pd.isna(v) else v) for k, v in rec.items() if k not in ("from", "to")}
            g.add_edge(rec["from"], rec["to"], key=rec["id"], **attrs)
        return g

    def export(self, fmt, **params):
        """The server's export in fmt (networkx, cytoscape, graphml, gexf,
        csv-nodes, csv-edges, json) as bytes; params are the /export query
        (actor="Russia", depth=2, types="ACCUSES,DENIES", claimedBy=…).
        Raises requests.HTTPError on a bad parameter (the JSON body names it)."""
        base = self.url[: -len("/graphql")]
        res = self.session.get(f"{base}/export/{fmt}", params=params, timeout=self.timeout)
        res.raise_for_status()
        return res.content

    def export_graph(self, fmt="networkx", **params):
        """The networkx or cytoscape export read into a networkx
        MultiDiGraph (nx.node_link_graph / nx.cytoscape_graph): edges keyed
        by relation id, attributes as the export writes them."""
        data = json.loads(self.export(fmt, **params))
        if fmt == "cytoscape":
            return nx.cytoscape_graph(data)
        if fmt == "networkx":
            return read_node_link(data)
        raise ValueError(f"export_graph reads networkx or cytoscape, not {fmt!r}")

    def has_field(self, type_name, field):
        """Whether the server's schema has type_name.field (introspection)."""
        data = self.query("query($t: String!) { __type(name: $t) { fields { name } } }", {"t": type_name})
        t = data.get("__type")
        return bool(t) and any(f["name"] == field for f in t["fields"] or [])

    def subscribe(self, after=None, poll=2.0, page_size=100, stop=None):
        """Yield relations as they are written, from the server's change log
        (the changes query), in log order: each a relations_frame row plus
        "cursor" (its entry's cursor) and "change" (CREATED, UPDATED or
        DELETED; a deleted relation comes as it was). after is a cursor to
        resume after (the "cursor" of the last relation handled); None
        starts at the oldest entry the server retains. Delivery is at least
        once: dedupe by cursor. A cursor older than the retained log raises
        GraphQLError with code CURSOR_EXPIRED. Polls every poll seconds once
        caught up; stop, a callable, ends the loop when it returns True."""
        text = """query($after: String, $first: Int) { changes(after: $after, first: $first) {
  nodes { cursor kind relation { %s } } pageInfo { endCursor hasNextPage } } }""" % _RELATION_FIELDS
        while True:
            data = self.query(text, {"after": after, "first": page_size})["changes"]
            for n in data["nodes"]:
                if n.get("relation"):
                    row = _relation_row(n["relation"])
                    row["cursor"], row["change"] = n["cursor"], n["kind"]
                    yield row
                after = n["cursor"]
            if data["pageInfo"].get("endCursor"):
                after = data["pageInfo"]["endCursor"]
            if data["pageInfo"]["hasNextPage"]:
                continue
            if stop is not None and stop():
                return
            time.sleep(poll)
