"""HTTP API tests (FastAPI TestClient = httpx): routes, formats, errors and limits.

Most tests inject a small deterministic brief function (`fake_brief`) so that they check the web
layer, not the summariser; `test_real_pipeline_*` run the real `newsbrief.brief` on the seeds.
"""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fakes import controlled_brief, fake_brief, focus_brief, plain_brief, refuse_brief
from newsbrief.model import Brief
from newsbrief.web.parsing import safe_filename
from newsbrief.web.routes import create_app
from newsbrief.web.settings import Settings
from newsbrief.web.store import DB_NAME, SCHEMA_VERSION, Store, StoreError

SEEDS = sorted((Path(__file__).resolve().parents[1] / "examples" / "us-iran-talks").glob("*.txt"))


def make_client(tmp_path, **kw):
    kw.setdefault("brief_fn", fake_brief)
    settings = Settings(data_dir=tmp_path / "data", **kw)
    return TestClient(create_app(settings))


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as c:
        yield c


ARTS = [
    {"text": "Talks began in Baghdad.\nMore text.", "title": "First", "source": "Wire", "date": "2007-05-28"},
    {"text": "Iran offered training.\nMore.", "title": "Second", "url": "https://example.org/x"},
]


# -- the happy path -------------------------------------------------------------------------------


def test_post_json_returns_brief_and_saves_it(client):
    r = client.post("/api/briefs", json={"articles": ARTS, "words": 80})
    assert r.status_code == 201, r.text
    b = r.json()
    assert r.headers["location"] == f"/api/briefs/{b['id']}"
    assert b["words"] == 80 and b["title"] == "First"
    assert [a["title"] for a in b["articles"]] == ["First", "Second"]
    assert b["articles"][0]["text"].startswith("Talks began")
    assert b["summary"][0]["spans"][0] == {"article": "a1", "start": 0, "end": len("Talks began in Baghdad."),
                                           "text": "Talks began in Baghdad."}
    assert [(q["text"], q["speaker"], q["sources"]) for q in b["quotes"]] == [("a quote", "A. Speaker", ["a1"])]
    got = client.get(f"/api/briefs/{b['id']}")
    assert got.status_code == 200
    assert got.json() == b


def test_post_bare_list_and_include_text(client):
    r = client.post("/api/briefs", json=ARTS)
    assert r.status_code == 201
    r = client.post("/api/briefs", json={"articles": ARTS, "include_text": False})
    assert r.status_code == 201
    assert all("text" not in a for a in r.json()["articles"])


def test_post_files_and_json_together(client):
    files = [
        ("files", ("../../etc/one story.txt", b"From a file.\nBody.", "text/plain")),
        ("files", ("page.html", b"<p>An HTML page.</p>", "text/html")),
    ]
    r = client.post(
        "/api/briefs",
        data={"articles": json.dumps(ARTS[:1]), "words": "60"},
        files=files,
    )
    assert r.status_code == 201, r.text
    b = r.json()
    assert b["words"] == 60
    assert [a["title"] for a in b["articles"]] == ["First", "one_story.txt", "page.html"]
    assert all("/tmp" not in w for w in b["warnings"])


def test_markdown_and_html_formats(tmp_path):
    with make_client(tmp_path, brief_fn=plain_brief) as client:
        _check_formats(client)


def _check_formats(client):
    r = client.post("/api/briefs", json={"articles": ARTS})
    bid = r.json()["id"]
    md = client.get(f"/api/briefs/{bid}", params={"format": "markdown"})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert "Talks began in Baghdad." in md.text
    html = client.get(f"/api/briefs/{bid}", params={"format": "html"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "sandbox" in html.headers["content-security-policy"]
    posted = client.post("/api/briefs", json={"articles": ARTS, "format": "markdown"})
    assert posted.status_code == 201 and "Talks began" in posted.text
    assert posted.headers["x-brief-id"]


def test_list_newest_first_paginated_and_delete(client):
    ids = []
    for n in range(5):
        r = client.post("/api/briefs", json=[{"text": f"Story {n}.", "title": f"T{n}"}])
        ids.append(r.json()["id"])
    page = client.get("/api/briefs", params={"limit": 2}).json()
    assert page["total"] == 5 and page["next_offset"] == 2
    assert [it["id"] for it in page["items"]] == ids[::-1][:2]
    assert page["items"][0]["title"] == "T4" and page["items"][0]["n_articles"] == 1
    last = client.get("/api/briefs", params={"limit": 2, "offset": 4}).json()
    assert [it["id"] for it in last["items"]] == [ids[0]] and last["next_offset"] is None
    assert client.delete(f"/api/briefs/{ids[2]}").status_code == 204
    assert client.get(f"/api/briefs/{ids[2]}").status_code == 404
    assert client.delete(f"/api/briefs/{ids[2]}").json()["error"].startswith("no brief")
    assert client.get("/api/briefs").json()["total"] == 4


def test_page_docs_and_health(client):
    page = client.get("/")
    assert page.status_code == 200 and "<title>newsbrief</title>" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "http" not in page.text.split("<body>")[0]  # no external resource in <head>
    for name in ("app.js", "app.css"):
        asset = client.get(f"/static/{name}")
        assert asset.status_code == 200
        assert "http://" not in asset.text and "https://" not in asset.text
    js = client.get("/static/app.js").text
    assert not re.search(r"\.(inner|outer)HTML\s*\+?=|insertAdjacentHTML|document\.write|eval\(", js)
    docs = client.get("/docs")
    assert docs.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert assets and all(a.startswith("/") for a in assets)  # Swagger UI served locally, no CDN
    assert all(client.get(a).status_code == 200 for a in assets)
    spec = client.get("/openapi.json").json()
    assert {"/api/briefs", "/api/briefs/{brief_id}"} <= set(spec["paths"])
    body = spec["paths"]["/api/briefs"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in body
    assert body["application/json"]["schema"]["$ref"] == "#/components/schemas/BriefRequest"
    assert {"BriefRequest", "ArticleIn"} <= set(spec["components"]["schemas"])
    assert "ArticleIn" in json.dumps(spec["components"]["schemas"]["BriefRequest"])
    h = client.get("/api/health").json()
    assert h["status"] == "ok" and h["limits"]["max_articles"] == 50


# -- errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, status, fragment",
    [
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "not valid JSON"),
        ({"content": b"", "headers": {"content-type": "application/json"}}, 400, "empty body"),
        ({"json": {"articles": []}}, 400, "no articles"),
        ({"json": {"articles": [{"text": "   "}]}}, 400, "article 1 has no text"),
        ({"json": "just a string"}, 400, "JSON object"),
        ({"json": {"articles": [{"title": "no text"}]}}, 422, "articles.0.text"),
        ({"json": {"articles": ARTS, "words": 3}}, 422, "words"),
        ({"json": {"articles": ARTS, "words": "many"}}, 422, "words"),
        ({"json": {"articles": ARTS, "format": "pdf"}}, 422, "format"),
        ({"json": {"articles": [{"text": 5}]}}, 422, "text"),
        ({"content": b"text", "headers": {"content-type": "text/plain"}}, 415, "unsupported content type"),
        ({"files": [("files", ("x.exe", b"MZ", "application/octet-stream"))]}, 400, "unsupported type .exe"),
        ({"files": [("files", ("x.txt", b"  ", "text/plain"))]}, 400, "is empty"),
        ({"files": [("files", ("x.json", b"{oops", "application/json"))]}, 400, "not valid JSON"),
        ({"data": {"articles": "[oops"}}, 400, "form field 'articles'"),
        ({"data": {"articles": json.dumps(ARTS), "words": "x"}}, 422, "words"),
    ],
)
def test_bad_requests(client, kwargs, status, fragment):
    r = client.post("/api/briefs", **kwargs)
    assert r.status_code == status, r.text
    body = r.json()
    assert fragment in body["error"], body
    if status == 422:
        assert body["details"] and body["details"][0]["field"]


DEEP = b"[" * 10_000  # 10 KB of "[": a RecursionError in json.loads
NESTED = json.dumps({"articles": [{"text": "x", "extra": json.loads("[" * 70 + "]" * 70)}]}).encode()  # valid, too deep


@pytest.mark.parametrize("payload", [DEEP, NESTED], ids=["unbalanced", "balanced"])
def test_deeply_nested_json_is_a_clean_400(client, payload):
    """Issue 14.8: deeply nested JSON was an HTTP 500 with a traceback, in a body or an uploaded file."""
    attempts = [
        ("request body", {"content": payload, "headers": {"content-type": "application/json"}}),
        ("file 'deep.json'", {"files": [("files", ("deep.json", payload, "application/json"))]}),
        ("file 'deep.jsonl'", {"files": [("files", ("deep.jsonl", payload, "application/json"))]}),
        ("form field 'articles'", {"data": {"articles": payload.decode()}}),
    ]
    for what, kwargs in attempts:
        r = client.post("/api/briefs", **kwargs)
        assert r.status_code == 400, (what, r.text)
        assert r.json()["error"].startswith(f"{what} is nested too deeply"), r.json()
        if what.endswith(".jsonl'"):
            assert r.json()["line"] == 1 and "(line 1)" in r.json()["error"]
    ok = {"articles": [{"text": "Fine.", "extra": json.loads("[" * 60 + "]" * 60)}]}
    assert client.post("/api/briefs", json=ok).status_code == 201
    assert client.get("/api/briefs").json()["total"] == 1


def test_broken_upload_line_is_reported_at_its_line(client):
    """Issue 14.15: a broken line 4 of an uploaded .jsonl was reported as line 1."""
    lines = [json.dumps({"text": f"Article {i}."}) for i in range(3)] + ['{"text": "broken'] + [json.dumps({"text": "x"})]
    r = client.post("/api/briefs", files=_upload("many.jsonl", "\n".join(lines).encode()))
    assert r.status_code == 400, r.text
    assert r.json()["line"] == 4 and "(line 4, column" in r.json()["error"] and "many.jsonl" in r.json()["error"]
    r = client.post("/api/briefs", files=_upload("one.json", b'[\n{"text": "a"},\n\n{"text": oops}]'))
    assert r.status_code == 400 and r.json()["line"] == 4, r.text


def test_database_errors_name_the_database(tmp_path):
    """Issue 14.15: database errors did not say which database."""
    with make_client(tmp_path) as c:
        store = c.app.state.store
        bid = c.post("/api/briefs", json=ARTS).json()["id"]
        path = str(tmp_path / "data" / DB_NAME)
        assert store.path == path
        store._db.execute("PRAGMA query_only = 1")  # as if the file had become read-only
        r = c.delete(f"/api/briefs/{bid}")
        assert r.status_code == 503, r.text
        body = r.json()
        assert body["database"] == path and path in body["error"] and "readonly" in body["cause"]
        assert body["error"].startswith("cannot delete the brief: attempt to write a readonly database")
        store._db.execute("PRAGMA query_only = 0")
        store._db.execute("DROP TABLE articles")
        store._db.execute("DROP TABLE briefs")
        for r in (c.get("/api/briefs"), c.get(f"/api/briefs/{bid}")):
            assert r.status_code == 503 and r.json()["database"] == path, r.text
            assert "no such table: briefs" in r.json()["error"] and "Traceback" not in r.text
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    with pytest.raises(StoreError, match=f"cannot open the database: .*\\(database {not_a_dir / DB_NAME}\\)"):
        Store(not_a_dir)


def _fill_database(store):
    """Make the database file unable to grow: SQLite then fails writes with SQLITE_FULL, as on a full disk."""
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")


@pytest.mark.parametrize("problem", ["disk full", "read-only"])
def test_unsaved_brief_is_returned_with_the_cause(tmp_path, problem):
    """Issue 14.10: disk full or a read-only database gave a bare 500 and lost the brief; on a full disk a
    second error ("cannot rollback") hid the cause."""
    with make_client(tmp_path) as c:
        store = c.app.state.store
        kept = c.post("/api/briefs", json=ARTS).json()["id"]
        if problem == "disk full":
            _fill_database(store)
        else:
            store._db.execute("PRAGMA query_only = 1")
        big = [{"text": f"Article {i}. " + "words " * 20_000, "title": f"T{i}"} for i in range(3)]
        r = c.post("/api/briefs", json={"articles": big, "include_text": False})
        body = r.json()
        assert r.status_code == (507 if problem == "disk full" else 503), r.text
        assert body["saved"] is False and body["database"] == store.path and store.path in body["error"]
        cause = "database or disk is full" if problem == "disk full" else "attempt to write a readonly database"
        assert body["cause"] == cause and body["error"] == f"cannot save the brief: {cause} (database {store.path})"
        assert "rollback" not in r.text and "Traceback" not in r.text
        brief = body["brief"]  # the computed brief, whole, said unsaved
        assert [a["title"] for a in brief["articles"]] == ["T0", "T1", "T2"] and brief["summary"]
        assert all("text" not in a for a in brief["articles"])
        assert brief["warnings"][-1] == f"not saved: {cause} (database {store.path})"
        assert "id" not in brief
        # nothing half-written, and the store works again once there is room
        store._db.execute("PRAGMA max_page_count = 1073741823")
        store._db.execute("PRAGMA query_only = 0")
        assert not store._db.in_transaction
        assert [it["id"] for it in c.get("/api/briefs").json()["items"]] == [kept]
        assert c.post("/api/briefs", json=ARTS).status_code == 201
        assert c.get("/api/briefs").json()["total"] == 2


def test_not_found_and_bad_query(client):
    r = client.get("/api/briefs/nope")
    assert r.status_code == 404 and r.json() == {"error": "no brief with id 'nope'"}
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "not found" in r.json()["error"]
    r = client.get("/api/briefs", params={"limit": 0})
    assert r.status_code == 422 and "limit" in r.json()["error"]
    r = client.put("/api/briefs")
    assert r.status_code == 405 and "error" in r.json()


@pytest.mark.parametrize("offset", [str(2**63), str(2**64), "9" * 40, "-1"])
def test_huge_offset_is_422(client, offset):
    """Issue 14.13: ?offset= >= 2**63 overflowed SQLite's integer (HTTP 500)."""
    client.post("/api/briefs", json=ARTS)
    r = client.get("/api/briefs", params={"offset": offset})
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"].startswith("invalid fields: query.offset") and body["details"][0]["field"] == "query.offset"
    last = client.get("/api/briefs", params={"offset": str(2**63 - 1)})
    assert last.status_code == 200 and last.json()["items"] == [] and last.json()["total"] == 1


def test_pipeline_value_error_is_400(tmp_path):
    with make_client(tmp_path, brief_fn=refuse_brief) as c:
        r = c.post("/api/briefs", json=ARTS)
    assert r.status_code == 400 and "no usable article text" in r.json()["error"]


# -- limits ----------------------------------------------------------------------------------------


def test_body_limit(tmp_path):
    with make_client(tmp_path, max_body_bytes=1000) as c:
        r = c.post("/api/briefs", json=[{"text": "x" * 2000}])
        assert r.status_code == 413
        assert r.json()["setting"] == "max_body_bytes" and "1,000 bytes" in r.json()["error"]
        r = c.post("/api/briefs", files=[("files", ("a.txt", b"y" * 5000, "text/plain"))])
        assert r.status_code == 413

        # a body streamed without Content-Length is cut off too
        def chunks():
            for _ in range(10):
                yield b"[" + b" " * 300

        r = c.post("/api/briefs", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413 and r.json()["limit"] == 1000
        assert c.post("/api/briefs", json=[{"text": "small"}]).status_code == 201


def test_article_count_and_size_limits(tmp_path):
    with make_client(tmp_path, max_articles=3, max_article_chars=100) as c:
        r = c.post("/api/briefs", json=[{"text": f"a{i}"} for i in range(4)])
        assert r.status_code == 413 and r.json()["setting"] == "max_articles"
        assert "at most 3" in r.json()["error"]
        r = c.post(
            "/api/briefs",
            data={"articles": json.dumps([{"text": "a"}, {"text": "b"}])},
            files=[("files", ("x.txt", b"c", "text/plain")), ("files", ("y.txt", b"d", "text/plain"))],
        )
        assert r.status_code == 413 and r.json()["setting"] == "max_articles"
        many = [("files", (f"f{i}.txt", b"text", "text/plain")) for i in range(6)]
        r = c.post("/api/briefs", files=many)  # refused by the form parser already
        assert r.status_code == 413 and r.json()["setting"] == "max_articles"
        r = c.post("/api/briefs", files=[("files", ("x.json", json.dumps([{"text": "a"}] * 4).encode(), "application/json"))])
        assert r.status_code == 413 and r.json()["setting"] == "max_articles"
        r = c.post("/api/briefs", json=[{"text": "z" * 101}])
        assert r.status_code == 413 and r.json()["setting"] == "max_article_chars"
        assert "article 1 has 101 characters" in r.json()["error"]
        r = c.post("/api/briefs", files=[("files", ("big.txt", b"z" * 101, "text/plain"))])
        assert r.status_code == 413 and r.json()["setting"] == "max_article_chars"
        assert c.post("/api/briefs", json=[{"text": "z" * 100}] * 3).status_code == 201


def _upload(name, obj):
    data = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    return [("files", (name, data, "application/json"))]


def test_limits_count_and_measure_every_article_in_json_uploads(tmp_path):
    """Issue 14.1: benchmark rows, {"articles": [...]}, lists and JSONL are counted article by article,
    and each article is size-checked, whatever key holds its text."""
    rows = [{"id": "r1", "documents": ["One.", "Two."]}, {"id": "r2", "documents": ["Three.", "Four."]}]
    with make_client(tmp_path, max_articles=3, max_article_chars=100) as c:
        cases = [
            (_upload("row.json", {"id": "x", "documents": [f"Doc {i}." for i in range(4)]}), "max_articles"),
            (_upload("rows.json", rows), "max_articles"),
            (_upload("rows.jsonl", "\n".join(json.dumps(r) for r in rows).encode()), "max_articles"),
            (_upload("wrapped.json", {"articles": [{"text": f"a{i}"} for i in range(4)]}), "max_articles"),
            (_upload("row.json", {"id": "x", "documents": ["short", "z" * 101]}), "max_article_chars"),
            (_upload("rows.jsonl", json.dumps({"documents": ["z" * 101]}).encode()), "max_article_chars"),
            (_upload("one.json", {"article": "z" * 101}), "max_article_chars"),
            (_upload("list.json", [{"document": "z" * 101}]), "max_article_chars"),
            (_upload("list.json", ["ok", "z" * 101]), "max_article_chars"),
            (_upload("wrapped.json", {"articles": [{"body": "z" * 101}]}), "max_article_chars"),
        ]
        for files, setting in cases:
            r = c.post("/api/briefs", files=files)
            assert r.status_code == 413, (files, r.text)
            assert r.json()["setting"] == setting, (files, r.json())
        # three documents of one row are three articles: within the limit (the fake pipeline briefs the file)
        r = c.post("/api/briefs", files=_upload("row.json", {"documents": ["One.", "Two.", "Three."]}))
        assert r.status_code == 201, r.text
        # JSON articles and a file's documents add up
        r = c.post("/api/briefs", data={"articles": json.dumps([{"text": "a"}, {"text": "b"}])},
                   files=_upload("row.json", {"documents": ["One.", "Two."]}))
        assert r.status_code == 413 and r.json()["setting"] == "max_articles" and "4 articles" in r.json()["error"]
    with make_client(tmp_path / "default") as c:  # the reported case: 499 documents under the 50-article limit
        r = c.post("/api/briefs", files=_upload("row.json", {"documents": [f"Doc {i} text." for i in range(499)]}))
        assert r.status_code == 413 and "499 articles" in r.json()["error"]
        r = c.post("/api/briefs", files=_upload("row.json", {"documents": ["z" * 250_000]}))
        assert r.status_code == 413 and r.json()["setting"] == "max_article_chars"
        assert c.get("/api/briefs").json()["total"] == 0


def _wait_for(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def _in_thread(fn):
    """Run fn() in a thread; returns a function that joins it and gives fn's result."""
    out = []
    t = threading.Thread(target=lambda: out.append(fn()))
    t.start()
    return lambda: (t.join(30), out[0])[1]


def test_time_limit_stops_the_work(tmp_path):
    """Issue 14: a brief over the time limit got its 504 but kept its worker thread running. Now its worker
    process is killed at the time limit (the work stops) and replaced."""
    marks = tmp_path / "marks"
    marks.mkdir()
    with make_client(tmp_path, brief_fn=controlled_brief, time_limit=1.0, workers=1) as c:
        t0 = time.monotonic()
        r = c.post("/api/briefs", json=[{"text": f"SLEEP 4 {marks}"}])
        assert r.status_code == 504, r.text
        assert r.json()["setting"] == "time_limit" and "time limit of 1 s" in r.json()["error"]
        assert time.monotonic() - t0 < 3.5
        (started,) = marks.glob("*.started")
        pid = int(started.stem)
        assert not Path(f"/proc/{pid}").exists()  # killed and reaped before the 504 was sent
        # a fresh worker takes the next brief
        r = c.post("/api/briefs", json=ARTS)
        assert r.status_code == 201, r.text
        assert pid not in c.app.state.runner.worker_pids()
        time.sleep(max(0.0, 4.5 - (time.monotonic() - t0)))
        assert not list(marks.glob("*.finished"))  # the timed-out brief never finished
        assert c.get("/api/briefs").json()["total"] == 1  # and was not saved


def test_queue_timeout(tmp_path):
    """A brief that cannot get a worker within queue_timeout gets 503."""
    marks = tmp_path / "marks"
    marks.mkdir()
    with make_client(tmp_path, brief_fn=controlled_brief, time_limit=20, queue_timeout=0.5, workers=1) as c:
        first = _in_thread(lambda: c.post("/api/briefs", json=[{"text": f"SLEEP 2 {marks}"}]))
        _wait_for(lambda: list(marks.glob("*.started")))
        r = c.post("/api/briefs", json=ARTS)
        assert r.status_code == 503 and r.headers["retry-after"]
        assert r.json()["setting"] == "queue_timeout" and "no worker was free" in r.json()["error"]
        assert first().status_code == 201


def test_queue_limit(tmp_path):
    marks = tmp_path / "marks"
    marks.mkdir()
    with make_client(tmp_path, brief_fn=controlled_brief, time_limit=20, workers=1, max_queue=0) as c:
        first = _in_thread(lambda: c.post("/api/briefs", json=[{"text": f"SLEEP 2 {marks}"}]))
        _wait_for(lambda: list(marks.glob("*.started")))
        r = c.post("/api/briefs", json=ARTS)  # the only worker is busy, zero places to wait in: refused at once
        assert r.status_code == 503 and r.json()["setting"] == "max_queue"
        assert first().status_code == 201


def test_worker_crash_is_a_clean_500_and_the_worker_is_replaced(tmp_path):
    with make_client(tmp_path, brief_fn=controlled_brief, workers=1) as c:
        r = c.post("/api/briefs", json=[{"text": "CRASH"}])
        assert r.status_code == 500 and "exit code 3" in r.json()["error"], r.text
        assert c.post("/api/briefs", json=ARTS).status_code == 201


def test_brief_fn_must_be_importable(tmp_path):
    with pytest.raises(ValueError, match="module-level function"):
        create_app(Settings(data_dir=tmp_path, brief_fn=lambda inputs, words=150: None))


def test_settings_from_env(tmp_path):
    s = Settings.from_env(
        {"NEWSBRIEF_DATA_DIR": str(tmp_path), "NEWSBRIEF_MAX_ARTICLES": "7", "NEWSBRIEF_TIME_LIMIT": "2.5"},
        max_articles=None,
        max_body_bytes=123,
    )
    assert s.data_dir == tmp_path and s.max_articles == 7 and s.time_limit == 2.5 and s.max_body_bytes == 123
    with pytest.raises(ValueError, match="NEWSBRIEF_MAX_ARTICLES"):
        Settings.from_env({"NEWSBRIEF_MAX_ARTICLES": "lots"})
    with pytest.raises(ValueError):
        Settings(data_dir=tmp_path, max_articles=0)
    with pytest.raises(TypeError):
        Settings.from_env({}, max_things=3)


def test_safe_filename():
    taken: set[str] = set()
    assert safe_filename("../../etc/passwd.txt", taken) == "passwd.txt"
    assert safe_filename("C:\\Users\\x\\passwd.txt", taken) == "passwd-2.txt"
    assert safe_filename("a b<script>.html") == "a_b_script_.html"
    assert safe_filename("...") == "article"
    assert "/" not in safe_filename("x/../../y.json")


def test_brief_from_dict_round_trip():
    b = fake_brief([{"text": "One.\nTwo.", "title": "T"}])
    d = b.to_dict()
    assert Brief.from_dict(d).to_dict() == d


def test_store_schema_version(tmp_path):
    with Store(tmp_path) as s:
        assert s.version() == SCHEMA_VERSION


# -- the real pipeline -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_client(tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("real"), time_limit=120)
    with TestClient(create_app(settings)) as c:
        yield c


def test_real_pipeline_uploaded_seeds(real_client):
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in SEEDS]
    r = real_client.post("/api/briefs", files=files, data={"words": "120"})
    assert r.status_code == 201, r.text
    b = r.json()
    assert len(b["articles"]) == len(SEEDS) and b["summary"]
    texts = {a["id"]: a["text"] for a in b["articles"]}
    for s in b["summary"]:
        sp = s["spans"][0]
        assert texts[sp["article"]][sp["start"] : sp["end"]] == s["text"]
        assert set(s["sources"]) <= set(texts)
    assert real_client.get(f"/api/briefs/{b['id']}").json()["summary"] == b["summary"]


def test_real_pipeline_json_articles(real_client):
    arts = [{"text": p.read_text(encoding="utf-8"), "source": f"Source {i}"} for i, p in enumerate(SEEDS[:3])]
    r = real_client.post("/api/briefs", json={"articles": arts, "words": 80})
    assert r.status_code == 201, r.text
    b = r.json()
    assert [a["source"] for a in b["articles"]] == ["Source 0", "Source 1", "Source 2"]
    assert 0 < b["summary_words"] <= 80 + 40


def test_real_pipeline_html_and_json_uploads(real_client):
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    paragraphs = "".join(f"<p>{line}</p>" for line in texts[0].splitlines()[2:] if line.strip())
    page = f"<html><head><title>Iran offers to train Iraqi forces</title></head><body><nav>Home | World</nav>" \
           f"<article><h1>Iran offers to train Iraqi forces</h1>{paragraphs}</article></body></html>"
    many = json.dumps([{"text": t, "source": f"Wire {i}", "date": "2007-05-29"} for i, t in enumerate(texts[1:3])])
    files = [
        ("files", ("story page.html", page.encode(), "text/html")),
        ("files", ("more.json", many.encode(), "application/json")),
        ("files", ("empty-after-cleaning.txt", b"Advertisement\n\nShare this:", "text/plain")),
    ]
    r = real_client.post("/api/briefs", files=files, data={"words": "80"})
    assert r.status_code == 201, r.text
    b = r.json()
    assert [a["source"] for a in b["articles"]][1:] == ["Wire 0", "Wire 1"]
    assert "<p>" not in b["articles"][0]["text"] and "Kazemi" in b["articles"][0]["text"]
    assert all("newsbrief-upload-" not in w and "/tmp" not in w for w in b["warnings"])
    rows = real_client.app.state.store.articles(b["id"])
    assert rows[0]["origin"] == "story_page.html" and rows[0]["raw"] == page


def test_real_pipeline_upload_wrapped_articles_and_rows(real_client):
    """Issue 14.1: an uploaded {"articles": [...]} is read like the JSON body (it was refused after
    passing the limit check); a benchmark row's documents become one article each."""
    texts = [p.read_text(encoding="utf-8") for p in SEEDS[:3]]
    wrapped = {"articles": [{"text": t, "source": f"Wire {i}"} for i, t in enumerate(texts[:2])]}
    row = {"id": "duc1", "documents": texts[1:3]}
    files = _upload("wrapped.json", wrapped) + _upload("row.json", row)
    r = real_client.post("/api/briefs", files=files, data={"words": "60"})
    assert r.status_code == 201, r.text
    b = r.json()
    assert len(b["articles"]) == 4
    assert [a["source"] for a in b["articles"]][:2] == ["Wire 0", "Wire 1"]
    rows = real_client.app.state.store.articles(b["id"])
    assert [r["origin"] for r in rows] == ["wrapped.json", "wrapped.json", "row.json", "row.json"]


def test_real_pipeline_nothing_usable_is_400(real_client):
    r = real_client.post("/api/briefs", files=[("files", ("ads.txt", b"Advertisement\n\nShare this:", "text/plain"))])
    assert r.status_code == 400, r.text
    assert "ads.txt" in r.json()["error"] and "/tmp" not in r.json()["error"]


def test_host_and_origin_guard(tmp_path):
    with make_client(tmp_path, allowed_hosts=["127.0.0.1", "localhost", "::1"]) as c:
        c.base_url = "http://127.0.0.1:8000"
        assert c.get("/api/health").status_code == 200
        assert c.get("/api/health", headers={"host": "localhost:8000"}).status_code == 200
        assert c.get("/api/health", headers={"host": "[::1]:8000"}).status_code == 200
        r = c.get("/api/health", headers={"host": "evil.example:8000"})
        assert r.status_code == 400 and "not allowed" in r.json()["error"]
        r = c.post("/api/briefs", json=ARTS, headers={"origin": "http://evil.example"})
        assert r.status_code == 403 and "cross-site" in r.json()["error"]
        r = c.post("/api/briefs", json=ARTS, headers={"origin": "http://127.0.0.1:8000"})
        assert r.status_code == 201


def test_real_pipeline_markdown_and_html(real_client):
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in SEEDS[:3]]
    r = real_client.post("/api/briefs", files=files, data={"words": "60", "format": "markdown"})
    assert r.status_code == 201, r.text
    assert r.headers["content-type"].startswith("text/markdown") and r.text.startswith("# ")
    bid = r.headers["x-brief-id"]
    assert r.headers["location"] == f"/api/briefs/{bid}"
    saved = real_client.get(f"/api/briefs/{bid}").json()
    md = real_client.get(f"/api/briefs/{bid}", params={"format": "markdown"})
    assert md.status_code == 200 and saved["summary"][0]["text"].split("\n")[0][:40] in md.text
    html = real_client.get(f"/api/briefs/{bid}", params={"format": "html"})
    assert html.status_code == 200 and html.text.lstrip().lower().startswith("<!doctype html")


# -- issue 15: typed responses, documented errors, save=false, partial input, stories -------------


def _schema_keys(model):
    return set(model.model_fields)


def test_openapi_documents_the_brief_and_the_errors_as_sent(client):
    spec = client.get("/openapi.json").json()
    text = json.dumps(spec)
    assert "HTTPValidationError" not in text  # FastAPI's {"detail"} shape is never sent here
    post = spec["paths"]["/api/briefs"]["post"]
    assert post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/SavedBrief")
    assert post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Brief")
    for code in ("400", "413", "415", "422", "504"):
        assert post["responses"][code]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut"), code
    example = post["requestBody"]["content"]["application/json"]["examples"]["two-articles"]["value"]
    assert len(example["articles"]) == 2 and all(a["text"] for a in example["articles"])
    schemas = spec["components"]["schemas"]
    for name in ("Brief", "SummarySentence", "Article", "Conflict", "ConflictSide", "Quote", "TimelineEntry", "Entity",
                 "FramingItem", "SingleSourceClaim", "OutletCoverage", "StoryChoice", "ErrorOut"):
        assert name in schemas, name
    # one source of truth: every field of every record is in its schema
    from dataclasses import fields

    from newsbrief import model as m

    for cls in (m.Conflict, m.ConflictSide, m.Quote, m.TimelineEntry, m.Entity, m.FramingTerm, m.ClaimReport,
                m.SingleSourceClaim, m.Agreement, m.OutletCoverage, m.StoryChoice, m.Span):
        props = schemas[cls.__name__]["properties"]
        assert {f.name for f in fields(cls)} <= set(props), cls.__name__
    assert {f.name for f in fields(m.Analysis)} <= set(schemas["Brief"]["properties"])
    # the 422 the server sends has the documented shape
    r = client.post("/api/briefs", json={"articles": ARTS, "words": 3})
    assert r.status_code == 422 and set(r.json()) == {"error", "details"}
    from newsbrief.web.schema import ErrorOut

    ErrorOut.model_validate(r.json())


def test_a_real_brief_validates_against_the_schema_with_no_key_left_out(real_client):
    """Brief.to_dict() and the response models agree: every key sent is a field of its model."""
    from pydantic import BaseModel

    from newsbrief.web.schema import SavedBriefOut

    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in SEEDS]
    r = real_client.post("/api/briefs", files=files)
    assert r.status_code == 201, r.text
    parsed = SavedBriefOut.model_validate(r.json())

    def undocumented(obj, path=""):
        out = []
        if isinstance(obj, BaseModel):
            out += [f"{path}.{k}" for k in (obj.model_extra or {})]
            for k in type(obj).model_fields:
                out += undocumented(getattr(obj, k), f"{path}.{k}")
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                out += undocumented(v, f"{path}[{i}]")
        return out

    assert undocumented(parsed) == []
    assert parsed.outlets and any(a.outlet_label == "NCRI, from AFP" for a in parsed.articles)


def test_save_false_returns_the_brief_without_storing_it(client):
    r = client.post("/api/briefs", json={"articles": ARTS, "save": False})
    assert r.status_code == 200 and "id" not in r.json() and "location" not in r.headers
    assert client.get("/api/briefs").json()["total"] == 0
    r = client.post("/api/briefs", data={"articles": json.dumps(ARTS), "save": "false", "format": "markdown"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/markdown")
    assert client.get("/api/briefs").json()["total"] == 0


def test_partial_bad_input_is_skipped_with_a_warning_naming_it(real_client):
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in SEEDS[:3]]
    files += [("files", ("empty.txt", b"   ", "text/plain")), ("files", ("scan.pdf", b"%PDF-1.4", "application/pdf"))]
    data = {"articles": json.dumps([{"text": " ", "title": "Blank page"}]), "save": "false"}
    r = real_client.post("/api/briefs", files=files, data=data)
    assert r.status_code == 200, r.text
    b = r.json()
    assert len(b["articles"]) == 3
    warnings = " | ".join(b["warnings"])
    assert "empty.txt" in warnings and "scan.pdf" in warnings and "article 1" in warnings and "Blank page" in warnings
    assert "<dict>" not in warnings and "/tmp" not in warnings and "newsbrief-upload" not in warnings


def test_several_stories_brief_the_largest_and_name_the_others(real_client):
    other = [{"title": "Storm floods coastal towns", "text": (
        "Heavy rain from a tropical storm flooded three coastal towns on Sunday, forcing hundreds of families "
        "from their homes as rivers burst their banks. Rescue teams used boats to reach villages cut off by the "
        "water, and the regional governor declared a state of emergency. Meteorologists said more rain was "
        "expected through Tuesday, and schools in the area will stay closed. Farmers reported that much of the "
        "rice harvest had been lost, and the road to the provincial capital was closed by landslides. The "
        "national weather service said the storm was the strongest to hit the coast in a decade, with winds of "
        "more than 120 kilometres an hour. Aid groups appealed for clean water, blankets and medicine for the "
        "evacuation centres, where more than four thousand people spent the night.")},
        {"title": "Flood waters begin to recede", "text": (
        "Flood waters began to recede in the coastal towns hit by the tropical storm, officials said on Monday, "
        "but thousands of evacuated families remained in shelters. The governor said the state of emergency "
        "would stay in force while engineers inspected damaged bridges and the landslides on the provincial "
        "road were cleared. Rescue teams in boats were still reaching cut-off villages, and aid groups handed "
        "out clean water and blankets. Farmers said the rice harvest had been largely destroyed by the storm, "
        "the strongest to hit the coast in a decade, and the weather service warned of more heavy rain.")}]
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in SEEDS]
    r = real_client.post("/api/briefs", files=files, data={"articles": json.dumps(other), "save": "false"})
    assert r.status_code == 200, r.text
    b = r.json()
    assert [len(s["articles"]) for s in b["stories"]] == [5, 2]
    assert [s["briefed"] for s in b["stories"]] == [True, False]
    assert len(b["articles"]) == 5 and all("Storm" not in a["title"] for a in b["articles"])
    note = next(w for w in b["warnings"] if w.startswith("the input covers 2 unrelated stories"))
    assert "Storm floods coastal towns" in note and "story 2" in note
    r = real_client.post("/api/briefs", files=files, data={"articles": json.dumps(other), "save": "false",
                                                          "story": "2"})
    assert r.status_code == 200 and len(r.json()["articles"]) == 2
    r = real_client.post("/api/briefs", files=files, data={"articles": json.dumps(other), "save": "false",
                                                          "story": "3"})
    assert r.status_code == 400 and "no story 3" in r.json()["error"]


def test_example_route(client):
    r = client.get("/api/example")
    assert r.status_code == 200 and len(r.json()["articles"]) == 5
    assert client.head("/api/example").status_code == 200


def test_lone_surrogates_in_bodies_and_uploads_are_not_a_500(client):
    """Issue 14.5, found again by tests/test_properties.py: a lone surrogate escape (\\ud83d) in a JSON body
    could not be stored (HTTP 500), in a title it was a 422, and an uploaded {"articles": [...]} holding
    one was rewritten as UTF-8, which cannot hold it (HTTP 500). It becomes U+FFFD, as in the reader."""
    data = b'{"articles": [{"text": "Lone \\ud83d here. The council met on Monday."}]}'
    r = client.post("/api/briefs", files=_upload("wrapped.json", data))
    assert r.status_code == 201, r.text
    body = b'{"articles": [{"text": "\\ud83dThe council met on Monday.", "title": "T \\udc00"}]}'
    r = client.post("/api/briefs", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 201, r.text
    assert r.json()["articles"][0]["title"] == "T \ufffd"
    assert client.get(f"/api/briefs/{r.json()['id']}").json()["articles"][0]["title"] == "T \ufffd"


# -- issue 17: update briefs ("update this brief") and question-focused briefs ------------------------

JULY = SEEDS[0].parent / "003_0fcf253dab18fe18.txt"  # the second round of talks, in July
MAY = [p for p in SEEDS if p != JULY]


def test_since_and_query_reach_the_brief_function(tmp_path):
    with make_client(tmp_path, brief_fn=focus_brief) as c:
        saved = c.post("/api/briefs", json={"articles": ARTS}).json()["id"]
        r = c.post("/api/briefs", json={"articles": ARTS[:1], "since": saved, "query": "  Who offered training? ",
                                        "since_articles": [{"text": "Earlier talk.", "title": "Old"}]})
        assert r.status_code == 201, r.text
        b = r.json()
        assert f"since: brief:{saved}, article:Old" in b["warnings"] and "query: Who offered training?" in b["warnings"]
        assert b["since_briefs"] == [saved] and b["query"] == "Who offered training?" and b["answered"] is True
        assert c.get(f"/api/briefs/{b['id']}").json()["since_briefs"] == [saved]
        # the page's form: a saved brief's id, earlier files and a question
        files = [("files", ("new.txt", b"New text.\nMore.", "text/plain")),
                 ("since_files", ("old.txt", b"Old text.\nMore.", "text/plain"))]
        r = c.post("/api/briefs", files=files, data={"since": saved, "query": "What is new?", "save": "false"})
        assert r.status_code == 200, r.text
        b = r.json()
        assert [a["id"] for a in b["articles"]] == ["new"]  # the earlier file is not a new article
        assert f"since: brief:{saved}, file:old.txt" in b["warnings"] and "query: What is new?" in b["warnings"]
        # neither: the brief function is called as before
        r = c.post("/api/briefs", json={"articles": ARTS, "save": False})
        assert not any(w.startswith(("since:", "query:")) for w in r.json()["warnings"])


def test_unknown_since_id_is_404_and_empty_query_is_422(client):
    r = client.post("/api/briefs", json={"articles": ARTS, "since": ["nope"]})
    assert r.status_code == 404 and r.json() == {"error": "no brief with id 'nope' (in `since`)"}
    for query in ("", "   "):
        r = client.post("/api/briefs", json={"articles": ARTS, "query": query})
        assert r.status_code == 422, r.text
        body = r.json()
        assert set(body) == {"error", "details"} and body["details"][0]["field"] == "query"
        assert "question is empty" in body["error"] and "\n" not in body["error"]
        r = client.post("/api/briefs", data={"articles": json.dumps(ARTS), "query": query})
        assert r.status_code == 422 and r.json()["details"][0]["field"] == "query"
    r = client.post("/api/briefs", json={"articles": ARTS, "since": [""]})
    assert r.status_code == 422 and r.json()["details"][0]["field"].startswith("since")
    r = client.post("/api/briefs", json={"articles": ARTS, "since": 5})
    assert r.status_code == 422
    assert client.get("/api/briefs").json()["total"] == 0


def test_earlier_articles_are_held_to_the_limits(tmp_path):
    with make_client(tmp_path, max_articles=2, max_article_chars=100) as c:
        earlier = [{"text": "Old."}] * 3
        r = c.post("/api/briefs", json={"articles": ARTS[:1], "since_articles": earlier})
        assert r.status_code == 413 and r.json()["setting"] == "max_articles" and "earlier" in r.json()["error"]
        r = c.post("/api/briefs", json={"articles": ARTS[:1], "since_articles": [{"text": "x" * 101}]})
        assert r.status_code == 413 and r.json()["error"].startswith("earlier article 1 has 101 characters")
        r = c.post("/api/briefs", json={"since_articles": [{"text": "Old."}]})  # no new article
        assert r.status_code == 400 and "no articles" in r.json()["error"]


def test_openapi_documents_query_and_since(client):
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {"query", "since", "since_articles"} <= set(schemas["BriefRequest"]["properties"])
    form = spec["paths"]["/api/briefs"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert {"query", "since", "since_articles", "since_files"} <= set(form["properties"])
    assert {"mode", "query", "answered", "since", "earlier_articles", "changes", "since_briefs"} <= set(
        schemas["Brief"]["properties"])
    assert "FigureChange" in schemas
    assert "404" in spec["paths"]["/api/briefs"]["post"]["responses"]


def test_real_pipeline_update_this_brief(real_client):
    """A saved brief of the May articles, updated with the July one: what changed, nothing restated."""
    from newsbrief.web.schema import SavedBriefOut

    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in MAY]
    may = real_client.post("/api/briefs", files=files)
    assert may.status_code == 201, may.text
    may_id = may.json()["id"]
    july = [("files", (JULY.name, JULY.read_bytes(), "text/plain"))]
    r = real_client.post("/api/briefs", files=july, data={"since": may_id})
    assert r.status_code == 201, r.text
    b = r.json()
    assert b["mode"] == "update" and b["since_briefs"] == [may_id]
    assert [a["id"] for a in b["articles"]] == [JULY.stem]
    assert {a["id"] for a in b["earlier_articles"]} == {p.stem for p in MAY}
    assert [a["number"] for a in b["earlier_articles"]] == list(range(2, 2 + len(MAY)))
    assert b["summary"] and all(s["sources"] == [JULY.stem] for s in b["summary"])
    texts = " ".join(s["text"] for s in b["summary"])
    assert "since the last meeting in May" in texts and "first high-level direct official talks" not in texts
    meeting = [c for c in b["changes"] if c["measure"] == "meeting"]
    assert meeting and meeting[0]["new"]["sources"] == [JULY.stem]
    assert set(meeting[0]["old"]["sources"]) <= {p.stem for p in MAY}
    assert real_client.get(f"/api/briefs/{b['id']}").json()["changes"] == b["changes"]
    SavedBriefOut.model_validate(b)
    md = real_client.get(f"/api/briefs/{b['id']}", params={"format": "markdown"}).text
    assert "## What changed since the earlier coverage" in md and "## Earlier coverage" in md
    lean = real_client.get(f"/api/briefs/{b['id']}", params={"include_text": "false"}).json()
    assert all("text" not in a for a in lean["articles"] + lean["earlier_articles"])


def test_real_pipeline_question_answered_and_unanswerable(real_client):
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in SEEDS]
    r = real_client.post("/api/briefs", files=files, data={"query": "What happened to the detainees?", "save": "false"})
    assert r.status_code == 200, r.text
    b = r.json()
    assert b["mode"] == "query" and b["answered"] is True and b["query"] == "What happened to the detainees?"
    assert "detain" in b["summary"][0]["text"] and b["summary"][0]["relevance"] == 1.0
    r = real_client.post("/api/briefs", json={"articles": [{"text": p.read_text(encoding="utf-8")} for p in SEEDS],
                                              "query": "What is the price of oil in Venezuela?", "save": False})
    assert r.status_code == 200, r.text
    b = r.json()
    assert b["answered"] is False and b["summary"]
    html = real_client.post("/api/briefs", files=files, data={"query": "What is the price of oil in Venezuela?",
                                                             "save": "false", "format": "html"}).text
    assert "Nothing in these articles answers this question" in html
