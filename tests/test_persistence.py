"""Saved briefs survive a restart: of the app (same data directory) and of a real server process."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
from fakes import tiny_brief  # noqa: E402
from newsbrief.web.routes import create_app  # noqa: E402
from newsbrief.web.settings import Settings  # noqa: E402
from newsbrief.web.store import DB_NAME, MIGRATIONS, SCHEMA_VERSION, Store, StoreError  # noqa: E402

SEEDS = sorted((ROOT / "examples" / "us-iran-talks").glob("*.txt"))


def app_for(data_dir: Path):
    return TestClient(create_app(Settings(data_dir=data_dir, brief_fn=tiny_brief)))


def test_app_restart_keeps_briefs(tmp_path):
    data = tmp_path / "data"
    with app_for(data) as c:
        first = c.post("/api/briefs", json=[{"text": "One thing happened.", "title": "First"}]).json()
        second = c.post("/api/briefs", json=[{"text": "Then another.", "title": "Second"}]).json()
        gone = c.post("/api/briefs", json=[{"text": "Deleted soon.", "title": "Gone"}]).json()
        assert c.delete(f"/api/briefs/{gone['id']}").status_code == 204
    assert (data / DB_NAME).is_file()

    with app_for(data) as c:  # a new app, a new connection, the same directory
        page = c.get("/api/briefs").json()
        assert [it["id"] for it in page["items"]] == [second["id"], first["id"]]
        assert c.get(f"/api/briefs/{first['id']}").json() == first
        assert c.get(f"/api/briefs/{gone['id']}").status_code == 404

    with Store(data) as s:  # the articles were stored too, raw and cleaned
        rows = s.articles(first["id"])
        assert [(r["title"], r["text"], r["raw"], r["origin"]) for r in rows] == [
            ("First", "One thing happened.", "One thing happened.", "json")
        ]
        assert s.articles(gone["id"]) == []


def test_migrates_an_old_database(tmp_path):
    """A database left at schema version 1 is brought up to date and keeps its rows."""
    db = sqlite3.connect(tmp_path / DB_NAME)
    db.executescript(MIGRATIONS[0])
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    db.execute("INSERT INTO schema_version VALUES (1)")
    brief = {"title": "Old", "words": 50, "summary": [], "articles": [], "warnings": []}
    db.execute(
        "INSERT INTO briefs (id, created_at, title, words, brief_json) VALUES (?, ?, ?, ?, ?)",
        ("old1", "2020-01-01T00:00:00.000000Z", "Old", 50, json.dumps(brief)),
    )
    db.commit()
    db.close()

    with Store(tmp_path) as s:
        assert s.version() == SCHEMA_VERSION
        assert s.get("old1")["title"] == "Old"
        cols = {r[1] for r in s._db.execute("PRAGMA table_info(articles)")}
        assert {"raw", "origin"} <= cols
        new = s.save({"title": "New", "words": 10, "articles": [{"id": "x", "text": "t"}]})
        assert [it["id"] for it in s.list()[0]] == [new["id"], "old1"]


def test_refuses_a_newer_database(tmp_path):
    with Store(tmp_path) as s:
        s._db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(RuntimeError, match="newer"):
        Store(tmp_path)


def test_store_is_thread_safe(tmp_path):
    with Store(tmp_path) as s:
        errors = []

        def save_many(n):
            try:
                for i in range(25):
                    s.save({"title": f"{n}-{i}", "words": 1, "articles": [{"id": "a", "text": "x"}]})
                    s.list(5)
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=save_many, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert s.count() == 200


def test_full_disk_error_is_not_masked_by_the_rollback(tmp_path):
    """Issue 14.10: on SQLITE_FULL SQLite rolls back by itself; the store's own ROLLBACK then failed with
    "cannot rollback - no transaction is active", which replaced the real cause."""
    with Store(tmp_path) as s:
        s.save({"title": "kept", "words": 1, "articles": [{"id": "a", "text": "x"}]})
        pages = s._db.execute("PRAGMA page_count").fetchone()[0]
        s._db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StoreError) as info:
            s.save({"title": "big", "words": 1, "articles": [{"id": str(i), "text": "y" * 50_000} for i in range(5)]})
        e = info.value
        assert e.kind == "full" and e.cause == "database or disk is full" and e.path == str(tmp_path / DB_NAME)
        assert "rollback" not in str(e) and "rollback" not in str(e.__cause__)
        assert not s._db.in_transaction and s.count() == 1
        s._db.execute("PRAGMA max_page_count = 1073741823")
        s.save({"title": "after", "words": 1, "articles": []})
        assert s.count() == 2


# -- a real server process, stopped and started again ------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(data_dir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), "HF_HUB_OFFLINE": "1",
           "NEWSBRIEF_WARM_UP": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsbrief.web", "--port", str(port), "--data-dir", str(data_dir), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError("server exited: " + proc.stdout.read().decode(errors="replace"))
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("server did not start within 30 s")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stdout:
        proc.stdout.close()


def test_server_process_restart_keeps_briefs(tmp_path):
    data, port = tmp_path / "data", _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _start_server(data, port)
    try:
        files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in SEEDS[:2]]
        r = httpx.post(f"{base}/api/briefs", files=files, data={"words": "60"}, timeout=120)
        assert r.status_code == 201, r.text
        saved = r.json()
    finally:
        _stop(proc)
    assert proc.returncode is not None

    proc = _start_server(data, port)
    try:
        again = httpx.get(f"{base}/api/briefs/{saved['id']}", timeout=10)
        assert again.status_code == 200
        assert again.json() == saved
        listed = httpx.get(f"{base}/api/briefs", timeout=10).json()
        assert [it["id"] for it in listed["items"]] == [saved["id"]]
    finally:
        _stop(proc)
