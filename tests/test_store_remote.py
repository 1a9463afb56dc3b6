"""The remote store against a real Oxigraph server (`oxigraph serve`, started on a loopback
port with a temporary directory): `plangraph load` fills it, and every canned query returns
exactly what the embedded store returns."""

from __future__ import annotations

import base64
import http.server
import json
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from rdflib import Literal

from plangraph.errors import QueryError, StoreError
from plangraph.query.catalog import load_catalog, run
from plangraph.query.choices import choices
from plangraph.query.sparql import run_sparql
from plangraph.store.base import place_values
from plangraph.store.remote import RemoteStore, endpoint_urls
from plangraph.store.server import oxigraph_executable, oxigraph_server
from test_query_cli import closed_port, run_cli


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """An empty Oxigraph server; yields its base URL and stops it afterwards."""
    if oxigraph_executable() is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(scope="module")
def remote(server, store):
    """The server loaded through `plangraph load --endpoint URL` (Graph Store Protocol)."""
    code, _, err = run_cli("load", "--endpoint", server)
    assert code == 0, err
    assert f"the endpoint holds {store.triple_count():,} triples" in err
    return RemoteStore(server)


def test_load_fills_the_endpoint_with_the_embedded_graph(remote, store):
    assert remote.triple_count() == store.triple_count()
    assert remote.describe() == f"remote SPARQL endpoint {remote.query_url}"


CASES = [(q.id, {}) for q in load_catalog()] + [(q.id, {"ward": w}) for q in load_catalog() for w in ("Hàm Rồng", "An Dương")
                                                   if any(p.name == "ward" for p in q.params)] + [
    ("trace-down", {"document": "66-NQ/TW"}), ("trace-down", {"document": "18-NQ/TU"}),
    ("compare-concept", {"concept": "forest-cover"}), ("compare-concept", {"concept": "per-capita-income"}),
    ("deadlines", {"from_year": "2027", "to_year": "2027"}), ("search", {"text": "ham rong"}),
    ("shared-documents", {"min_wards": "1"}), ("unit-workload", {"unit": "Phòng Văn hóa - Xã hội"}),
    ("source-lookup", {"record": "https://w3id.org/plangraph/id/plan/lai-chau/phuong-doan-ket/36-nq-hdnd/indicator/6-3"}),
]


@pytest.mark.parametrize("query_id, params", CASES, ids=[f"{q}-{'-'.join(p.values()) or 'default'}" for q, p in CASES])
def test_canned_queries_return_the_same_results_as_the_embedded_store(remote, store, query_id, params):
    local = run(store, query_id, params)
    far = run(remote, query_id, params)
    assert far.columns == local.columns
    assert far.values() == local.values()
    assert far.values() or query_id == "leader-roles", "every case but Hàm Rồng's leaders has rows"


def test_parameter_choices_are_the_same(remote, store):
    for kind in ("ward", "document", "concept", "unit", "year"):
        assert choices(remote, kind) == choices(store, kind), kind


def test_hostile_values_change_nothing_on_the_endpoint(remote):
    before = remote.triple_count()
    for value in ['"} ; DROP ALL ; SELECT * {"', "} ; CLEAR DEFAULT #", "x\n} INSERT DATA { <a:b> <a:b> <a:c> }"]:
        assert run(remote, "search", {"text": value}).values() == []
        assert run(remote, "compare-concept", {"ward": value}).values() == []
        with pytest.raises(QueryError):
            run(remote, "deadlines", {"from_year": value})
    got = remote.select(place_values("SELECT ?v WHERE { # @values v\n}", {"v": [Literal('a"b\\c\n} DROP ALL')]}))
    assert got.values() == [{"v": 'a"b\\c\n} DROP ALL'}]
    assert remote.triple_count() == before


def test_free_form_sparql_on_the_endpoint(remote):
    before = remote.triple_count()
    with pytest.raises(QueryError, match="updates are not allowed"):
        run_sparql(remote, "DELETE WHERE { ?s ?p ?o }")
    assert remote.triple_count() == before
    assert run_sparql(remote, "ASK { ?w a pg:Ward }").boolean is True
    graph = run_sparql(remote, "CONSTRUCT { ?w a pg:Ward } WHERE { ?w a pg:Ward }")
    assert len(graph.triples) == 5
    capped = run_sparql(remote, "SELECT * WHERE { ?s ?p ?o }", limit=4)
    assert capped.truncated and capped.table.row_count == 4
    with pytest.raises(QueryError) as info:
        run_sparql(remote, "SELECT ?x WHERE { ?x a pg:Ward")
    assert info.value.message.startswith("SPARQL syntax error at line 1, column 31:")


def test_a_row_limit_is_sent_to_the_endpoint(remote, store):
    """With a row limit the endpoint is asked for one row more than is read (it would
    otherwise serialize and send every row); a query's own LIMIT, OFFSET or trailing VALUES
    is left alone. The rows are the embedded store's either way."""
    from rdflib import URIRef

    sent = []
    real = remote._json

    def spy(query, timeout):
        sent.append(query)
        return real(query, timeout)

    remote._json = spy
    try:
        q = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?l WHERE { ?w a pg:Ward ; skos:prefLabel ?l } ORDER BY ?l"
        q = "PREFIX pg: <https://w3id.org/plangraph/ontology#> " + q
        got = remote.select(q, limit=3)
        assert sent[-1].rstrip().endswith("LIMIT 4") and got.truncated
        assert got.values() == store.select(q, limit=3).values() and len(got.values()) == 3
        for own in (q + " LIMIT 2", q + " OFFSET 1"):
            got = remote.select(own, limit=3)
            assert sent[-1] == own and got.values() == store.select(own, limit=3).values()
        bound = remote.select(q, {"w": [URIRef("https://w3id.org/plangraph/id/unit/ha-tinh/phuong-tran-phu")]}, limit=3)
        assert "LIMIT" not in sent[-1] and [r["l"] for r in bound.values()] == ["Trần Phú"]
    finally:
        del remote._json


def test_a_slow_query_is_cut_by_the_timeout(server, remote):
    slow = RemoteStore(server, timeout=1)
    start = time.monotonic()
    with pytest.raises(QueryError, match="did not answer within 1 s"):
        slow.select("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g <https://w3id.org/plangraph/ontology#quote> ?h }")
    assert time.monotonic() - start < 5


def test_load_with_sparql_update_replaces_the_graph(server, store):
    code, _, err = run_cli("load", "--endpoint", server, "--method", "update")
    assert code == 0, err
    assert RemoteStore(server).triple_count() == store.triple_count()
    code, _, err = run_cli("load", "--endpoint", server, "--append")  # RDF is a set: nothing doubles
    assert code == 0, err
    assert RemoteStore(server).triple_count() == store.triple_count()


def test_query_cli_against_the_endpoint(remote, server):
    code, out, err = run_cli("query", "compare-concept", "--endpoint", server, "-p", "ward=Đoàn Kết", "--format", "json")
    assert code == 0, err
    assert json.loads(out)[0]["value"] == 99.7
    code, out, _ = run_cli("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?w a pg:Ward }", "--endpoint", f"{server}/query",
                           "--format", "json")
    assert code == 0 and json.loads(out) == [{"n": 5}]


def test_wrong_path_on_a_live_server_is_a_clear_error(server):
    with pytest.raises(StoreError, match="no SPARQL endpoint at"):
        RemoteStore(f"{server}/nothing-here").select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")


def test_unreachable_endpoint_is_a_store_error():
    with pytest.raises(StoreError, match="cannot reach the SPARQL endpoint"):
        RemoteStore(f"http://127.0.0.1:{closed_port()}").select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")


def test_endpoint_urls():
    assert endpoint_urls("http://localhost:7878") == (
        "http://localhost:7878/query", "http://localhost:7878/update", "http://localhost:7878/store")
    assert endpoint_urls("http://h:3030/ds/sparql/") == ("http://h:3030/ds/sparql", "http://h:3030/ds/update", "http://h:3030/ds/store")
    assert endpoint_urls("https://h/repositories/plans") == ("https://h/repositories/plans", "https://h/repositories/plans", None)
    store = RemoteStore("https://h/repositories/plans", update_endpoint="https://h/repositories/plans/statements",
                        store_endpoint="https://h/repositories/plans/rdf-graphs/service")
    assert (store.update_url, store.store_url) == ("https://h/repositories/plans/statements",
                                                   "https://h/repositories/plans/rdf-graphs/service")
    with pytest.raises(StoreError, match="not an http"):
        endpoint_urls("localhost:7878")


def test_credentials_are_sent_with_queries_and_uploads():
    seen: list[tuple[str, str | None]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            seen.append((self.command, self.headers.get("Authorization")))
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            body = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [
                {"n": {"type": "literal", "value": "3", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}).encode()
            self.send_response(200 if self.command == "POST" and self.path.startswith("/query") else 204)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body) if self.path.startswith("/query") else 0))
            self.end_headers()
            if self.path.startswith("/query"):
                self.wfile.write(body)

        do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        store = RemoteStore(url, user="planner", password="s3cret")
        assert store.triple_count() == 3
        store.upload("<http://x/a> <http://x/b> <http://x/c> .")
        token = "Basic " + base64.b64encode(b"planner:s3cret").decode()
        assert seen == [("POST", token), ("POST", token)]
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_paging_by_ward_on_the_endpoint(remote, store):
    """All-wards rows read ward by ward from the endpoint: the same as the whole query, here and embedded."""
    from plangraph.query import paging
    from plangraph.query.catalog import get_query
    from plangraph.query.params import bind_params

    for qid in ("trace-down", "unit-workload"):
        q = get_query(qid)
        bindings, _ = bind_params(remote, q, {})
        paged = paging.paged(remote, lambda extra: q.render({**bindings, **extra}), "ward_iri", 40,
                             min_wards=0, first_batch=1, max_batch=2, dense_enough=0)
        whole = run(remote, qid, {}, limit=40, paging={"min_wards": 10**9})
        assert paged is not None and paged.truncated == whole.truncated
        assert paged.values() == whole.values() == run(store, qid, {}, limit=40).values()
    # read year by year, each year ward by ward (its first year) or whole (the others)
    settings = {"min_wards": 0, "first_batch": 1, "max_batch": 2, "dense_enough": 2}
    for limit in (40, 60, 5000):
        paged = run(remote, "deadlines", {}, limit=limit, paging=settings)
        whole = run(remote, "deadlines", {}, limit=limit, paging={"min_wards": 10**9})
        assert paged.values() == whole.values() == run(store, "deadlines", {}, limit=limit).values()
        assert paged.truncated == whole.truncated == (limit < 91)
