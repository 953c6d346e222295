"""The app: `create_app(settings)` wires the guards, the routes, the runner and the store; `run` serves it.

Endpoints
    GET    /                       the web page (newsbrief/web/static/, no external resources)
    GET    /api/health             status, version and the limits in force
    GET    /api/example            the bundled example articles (a POST body; 404 when not installed)
    POST   /api/briefs             articles (JSON and/or uploaded files) -> the brief JSON (201; 200 with
                                   save=false: computed, not stored); `query`: a question-focused brief;
                                   `since` (saved brief ids), `since_articles`, `since_files`: an update
                                   brief of what the articles add ("update this brief")
    GET    /api/briefs             saved briefs, newest first (?limit=20&offset=0; limit 1-100,
                                   offset 0 to 2**63 - 1)
    GET    /api/briefs/{id}        one saved brief (?format=json|markdown|html)
    DELETE /api/briefs/{id}        delete it (204)

Every error is JSON ``{"error": "<message>", ...}`` (`newsbrief.web.schema.ErrorOut`, in the OpenAPI
schema of every route):
    400 bad input (malformed JSON, no usable article, a story the input does not have); an empty
        article or an empty, unsupported or broken file among usable ones is skipped with a warning
    404 unknown brief or path (also a `since` id)      413 body / article / article count over a limit
    415 body is neither JSON nor a form (multipart or urlencoded)
    422 invalid fields (wrong types, words out of range, unknown format, an empty query); "details" lists them
    503 server busy (see `newsbrief.web.runner`); or the database cannot be used (read-only,
        locked, corrupt): "database" names the file, "cause" is SQLite's reason
    504 the brief ran longer than `time_limit`
    507 the database's disk is full
A POST whose brief was computed but could not be saved (507, or 503 for a read-only, locked or
broken database) still returns it: {"error", "database", "cause", "saved": false, "brief": {...}},
the brief's warnings saying it was not saved.

Writes (POST/DELETE) carrying an Origin header from another site are refused (403).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline  # serves the /docs assets itself: no CDN

import newsbrief
from newsbrief.model import Brief
from newsbrief.web.errors import (
    RENDERED_CSP,
    ApiError,
    BodyLimitMiddleware,
    HostGuardMiddleware,
    SecurityHeadersMiddleware,
    install_error_handlers,
)
from newsbrief.web.parsing import OPENAPI_BODY, BriefRequest, parse_brief_request
from newsbrief.web.runner import BriefRunner
from newsbrief.web.schema import (
    BriefListOut,
    BriefOut,
    HealthOut,
    SavedBriefOut,
    UnsavedOut,
    error_responses,
)
from newsbrief.web.settings import LOOPBACK, Settings
from newsbrief.web.store import Store, StoreError

log = logging.getLogger("newsbrief.web")
STATIC_DIR = Path(__file__).parent / "static"
# the bundled example of a source checkout (the page's "Try the bundled example"; 404 when not installed)
EXAMPLE_DIR = Path(__file__).resolve().parents[2] / "examples" / "us-iran-talks"
MAX_OFFSET = 2**63 - 1  # SQLite's largest integer: a larger ?offset= is a 422, not an OverflowError


def _rendered(
    text: str, fmt: str, brief_id: str, status: int = 200, extra_headers: dict[str, str] | None = None
) -> Response:
    """A response with the brief's Markdown or HTML text."""
    headers = {"X-Brief-Id": brief_id, **(extra_headers or {})}
    if fmt == "markdown":
        return PlainTextResponse(text, status_code=status, media_type="text/markdown; charset=utf-8", headers=headers)
    headers["Content-Security-Policy"] = RENDERED_CSP
    return HTMLResponse(text, status_code=status, headers=headers)


async def _render(brief: Brief, fmt: str, brief_id: str) -> Response:
    """A saved brief as Markdown or HTML (rendered off the event loop)."""
    text = await asyncio.to_thread(brief.to_markdown if fmt == "markdown" else brief.to_html)
    return _rendered(text, fmt, brief_id)


def _drop_text(data: dict[str, Any]) -> None:
    """include_text=false: the articles' (and earlier articles') texts left out."""
    for key in ("articles", "earlier_articles"):
        for a in data.get(key) or []:
            a.pop("text", None)


def store_error_status(exc: StoreError) -> tuple[int, dict[str, str]]:
    """507 when the disk is full, else 503 (Retry-After when the database is only busy)."""
    if exc.kind == "full":
        return 507, {}
    return 503, {"Retry-After": "5"} if exc.kind == "busy" else {}


def store_error_response(exc: StoreError, **extra: Any) -> JSONResponse:
    """A database error as JSON: the message names the database file and SQLite's reason."""
    log.error("%s", exc)
    status, headers = store_error_status(exc)
    body = {"error": str(exc), "database": exc.path, "cause": exc.cause, **extra}
    return JSONResponse(body, status_code=status, headers=headers or None)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI app: API, page and store. `settings` defaults to `Settings.from_env()`."""
    settings = settings or Settings.from_env()
    store = Store(settings.data_path)
    runner = BriefRunner(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runner.start()  # the worker processes (each warms up first when settings.warm_up)
        try:
            yield
        finally:
            runner.shutdown()
            store.close()

    app = FastAPIOffline(
        title="newsbrief",
        version=newsbrief.__version__,
        description="Many news articles about one story in, one cited brief out: verbatim summary sentences "
        "citing the outlets that carry them, and the cross-source analysis (disagreements, who said what, "
        "single-outlet claims, timeline, wording). The brief and every section are typed (see the schemas). "
        'Every error is JSON `{"error": message, ...}` (`ErrorOut`).',
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.runner = runner
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(HostGuardMiddleware, allowed_hosts=settings.allowed_hosts)

    def openapi_with_bodies() -> dict[str, Any]:
        """The generated schema plus the request-body models parsed by hand in POST /api/briefs."""
        if app.openapi_schema:
            return app.openapi_schema
        from fastapi.openapi.utils import get_openapi

        spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schema = BriefRequest.model_json_schema(ref_template="#/components/schemas/{model}")
        defs = schema.pop("$defs", {})
        components = spec.setdefault("components", {}).setdefault("schemas", {})
        components.update(defs)
        components["BriefRequest"] = schema
        text = json.dumps(spec["paths"])
        for unused in ("HTTPValidationError", "ValidationError"):  # FastAPI's 422 shape: never sent here
            if f"/{unused}\"" not in text and unused not in json.dumps({k: v for k, v in components.items()
                                                                        if k != unused}):
                components.pop(unused, None)
        app.openapi_schema = spec
        return spec

    app.openapi = openapi_with_bodies  # type: ignore[method-assign]
    install_error_handlers(app)

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> JSONResponse:
        return store_error_response(exc)

    # -- page ---------------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # -- API ----------------------------------------------------------------------------------
    @app.get("/api/health", tags=["meta"], response_model=HealthOut)
    async def health() -> dict[str, Any]:
        """Status, version and the limits in force."""
        return {"status": "ok", "version": newsbrief.__version__, "limits": settings.limits()}

    rendered_content = {
        "text/markdown": {"schema": {"type": "string"}, "example": "# US and Iran hold first talks in decades\n..."},
        "text/html": {"schema": {"type": "string"}, "example": "<!doctype html>..."},
    }

    @app.post(
        "/api/briefs",
        status_code=201,
        tags=["briefs"],
        openapi_extra=OPENAPI_BODY,
        response_model=None,
        responses={
            201: {"model": SavedBriefOut, "content": rendered_content,
                  "description": "The brief, saved: its JSON with `id` and `created_at` (or Markdown/HTML by "
                                 "`format`, the id in X-Brief-Id)"},
            200: {"model": BriefOut, "content": rendered_content,
                  "description": "The brief, not saved (`save` false)"},
            **error_responses(400, 403, 404, 413, 415, 422, 504),
            503: {"model": UnsavedOut, "description": "Busy (`ErrorOut`: the brief could not start in time), or "
                                                      "computed but not saved: the brief is in `brief`"},
            507: {"model": UnsavedOut, "description": "Computed but not saved, the database's disk is full: "
                                                      "the brief is in `brief`"},
        },
    )
    async def create_brief(request: Request) -> Response:
        """Brief the articles given as JSON and/or uploaded files; the brief is saved unless `save` is false.

        Articles that cannot be used (empty, unsupported or broken files) are skipped with a warning
        naming them, as the CLI does; when the articles cover several unrelated stories the brief covers
        the largest (or `story`), `stories` lists them and a warning names the others.

        `query`: a brief that answers the question (`answered` false when nothing does). `since` (ids of saved
        briefs), `since_articles` and/or `since_files`: an update brief of what the articles add to that
        earlier coverage (`earlier_articles`, `changes`; `since_briefs` lists the saved briefs); an unknown
        id is a 404."""
        req, uploads, since_uploads = await parse_brief_request(request, settings)
        since: list[dict[str, Any]] | None = None
        if req.since or req.since_articles or since_uploads:
            since = []
            for brief_id in dict.fromkeys(req.since):
                saved_brief = await asyncio.to_thread(store.get, brief_id)
                if saved_brief is None:
                    raise ApiError(404, f"no brief with id {brief_id!r} (in `since`)")
                since.append(saved_brief)
            since += req.since_dicts()
        try:
            data, inputs, rendered = await runner.run(req.article_dicts(), uploads, req.words, req.format, req.story,
                                                      since=since, since_uploads=since_uploads, query=req.query)
        except ApiError:
            raise
        except ValueError as e:
            raise ApiError(400, f"could not brief these articles: {e}") from None
        if req.since:
            data["since_briefs"] = list(dict.fromkeys(req.since))
        if not req.save:
            if rendered is not None:
                return _rendered(rendered, req.format, "", status=200)
            if not req.include_text:
                _drop_text(data)
            return JSONResponse(data, status_code=200)
        try:
            saved = await asyncio.to_thread(store.save, data, inputs)
        except StoreError as e:  # the brief is computed: give it back, said unsaved
            data["warnings"] = [*(data.get("warnings") or []), f"not saved: {e.cause} (database {e.path})"]
            if not req.include_text:
                _drop_text(data)
            return store_error_response(e, saved=False, brief=data)
        location = {"Location": f"/api/briefs/{saved['id']}"}
        if rendered is not None:
            return _rendered(rendered, req.format, saved["id"], status=201, extra_headers=location)
        if not req.include_text:
            _drop_text(data)
        return JSONResponse({**saved, **data}, status_code=201, headers=location)

    @app.head("/api/example", include_in_schema=False)
    @app.get("/api/example", tags=["meta"], responses=error_responses(404))
    async def example() -> dict[str, Any]:
        """The bundled example's articles, as a POST /api/briefs body (what the page's "Try the bundled
        example" submits)."""
        files = sorted(EXAMPLE_DIR.glob("*.txt")) if EXAMPLE_DIR.is_dir() else []
        if not files:
            raise ApiError(404, "the bundled example is not installed with this server")
        articles = [{"text": f.read_text(encoding="utf-8"), "id": f.stem} for f in files]
        return {"articles": articles, "words": 150}

    @app.get("/api/briefs", tags=["briefs"], response_model=BriefListOut, responses=error_responses(422, 503))
    async def list_briefs(
        limit: int = Query(20, ge=1, le=100, description="Page size"),
        offset: int = Query(0, ge=0, le=MAX_OFFSET, description="Briefs to skip"),
    ) -> dict[str, Any]:
        """Saved briefs, newest first, one page at a time."""
        items, total = await asyncio.to_thread(store.list, limit, offset)
        more = offset + len(items) < total
        return {
            "items": items,
            "total": total,
            "limit": limit,
            "offset": offset,
            "next_offset": offset + len(items) if more else None,
        }

    @app.get(
        "/api/briefs/{brief_id}", tags=["briefs"], response_model=None,
        responses={200: {"model": SavedBriefOut, "content": rendered_content,
                         "description": "The saved brief (JSON, or Markdown/HTML by `format`)"},
                   **error_responses(404, 422, 503)},
    )
    async def get_brief(
        brief_id: str,
        format: Literal["json", "markdown", "html"] = Query("json"),
        include_text: bool = Query(True),
    ) -> Any:
        """One saved brief: JSON (default), Markdown or HTML."""
        data = await asyncio.to_thread(store.get, brief_id)
        if data is None:
            raise ApiError(404, f"no brief with id {brief_id!r}")
        if format != "json":
            return await _render(Brief.from_dict(data), format, brief_id)
        if not include_text:
            _drop_text(data)
        return data

    @app.delete(
        "/api/briefs/{brief_id}", status_code=204, tags=["briefs"], responses=error_responses(403, 404, 422, 503)
    )
    async def delete_brief(brief_id: str) -> Response:
        """Delete a saved brief and its articles."""
        if not await asyncio.to_thread(store.delete, brief_id):
            raise ApiError(404, f"no brief with id {brief_id!r}")
        return Response(status_code=204)

    return app


class StartupError(Exception):
    """The server cannot start: `code` 2 for a bad setting or argument, 1 for anything else."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to (host, port), before anything else starts: failures are one-line StartupErrors."""
    if not 0 <= port <= 65535:
        raise StartupError(f"port must be between 0 and 65535, not {port}", 2)
    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as e:
        raise StartupError(f"cannot listen on {where}: unknown host {host!r} ({getattr(e, 'strerror', e)})") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as e:
        sock.close()
        raise StartupError(f"cannot listen on {where}: {e.strerror or e}") from None
    return sock


def run(host: str = "127.0.0.1", port: int = 8000, data_dir: str | Path | None = None, **limits: Any) -> None:
    """Serve the API and page with uvicorn (what `newsbrief serve` calls).

    `limits`: max_articles, max_article_chars, max_body_bytes, time_limit, workers, max_queue
    (None means "not given": the environment or the default applies). The address is bound first;
    a failure to start (port in use, unknown host, bad setting, unusable database) is a
    `StartupError` with a one-line message.
    """
    import uvicorn

    log_level = limits.pop("log_level", None) or "info"
    if limits.get("warm_up") is None and not os.environ.get("NEWSBRIEF_WARM_UP"):
        limits["warm_up"] = True  # a server started by hand loads the model at once
    try:
        settings = Settings.from_env(data_dir=data_dir, **limits)
    except (ValueError, TypeError) as e:
        raise StartupError(str(e), 2) from None
    if settings.allowed_hosts is None and host in LOOPBACK:
        settings.allowed_hosts = sorted(LOOPBACK)
    sock = _listen(host, port)
    try:
        try:
            app = create_app(settings)
        except StoreError as e:
            raise StartupError(str(e)) from None
        shown = f"[{host}]" if ":" in host else host
        print(f"newsbrief: serving http://{shown}:{sock.getsockname()[1]}/  (data: {settings.data_dir})", flush=True)
        server = uvicorn.Server(uvicorn.Config(app, log_level=log_level))
        server.run(sockets=[sock])
    finally:
        sock.close()
