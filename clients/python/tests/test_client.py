"""Tests of the client against a real running actorgraph server with the
seed graph loaded (ACTORGRAPH_URL, e.g. http://127.0.0.1:8080)."""

import itertools
import os

import networkx as nx
import pandas as pd
import pytest

from actorgraph import Client, GraphQLError

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
