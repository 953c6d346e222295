"""The web face: an HTTP API (FastAPI, docs at /docs), saved briefs (SQLite) and a web page at /.

    newsbrief serve                     # http://127.0.0.1:8000/
    python -m newsbrief.web --port 8080 # the same

One job per module:
    settings.py   `Settings` (limits, data directory) and the NEWSBRIEF_* environment variables
    errors.py     `ApiError`, the JSON error handlers, body limit, host/origin checks, security headers
    parsing.py    request bodies (JSON, multipart uploads) -> articles, checked against the limits
    runner.py     the worker processes that compute briefs: bounded queue, a time limit that kills
    worker.py     the worker process's side (imports nothing heavy)
    routes.py     `create_app` (the FastAPI app and its routes) and `run` (uvicorn)
    store.py      `Store`: saved briefs in SQLite
    static/       the page (HTML, CSS, JS; nothing external)

The names below are imported lazily: importing one room (the store, the settings) loads only that.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "create_app": "newsbrief.web.routes",
    "run": "newsbrief.web.routes",
    "Settings": "newsbrief.web.settings",
    "ApiError": "newsbrief.web.errors",
    "safe_filename": "newsbrief.web.parsing",
    "Store": "newsbrief.web.store",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'newsbrief.web' has no attribute {name!r}")
