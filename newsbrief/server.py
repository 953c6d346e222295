"""The web face: an HTTP API (FastAPI, docs at /docs), saved briefs (SQLite) and a web page at /.

    newsbrief serve                     # http://127.0.0.1:8000/
    python -m newsbrief.server --port 8080

Endpoints
    GET    /                       the web page (newsbrief/static/, no external resources)
    GET    /api/health             status, version and the limits in force
    POST   /api/briefs             articles (JSON and/or uploaded files) -> the brief JSON (201)
    GET    /api/briefs             saved briefs, newest first (?limit=20&offset=0)
    GET    /api/briefs/{id}        one saved brief (?format=json|markdown|html)
    DELETE /api/briefs/{id}        delete it (204)

POST /api/briefs takes either
    application/json     {"articles": [{"text", "title"?, "source"?, "url"?, "date"?, "id"?}, ...],
                          "words": 150, "format": "json"|"markdown"|"html", "include_text": true}
                         (a bare list of articles is accepted too)
    multipart/form-data  files=<.txt/.html/.htm/.json/.jsonl/.md>... (repeat), and optionally
                         articles=<the JSON list above, as text>, words=150, format=json
or both at once (JSON articles first, then the files, in order).

Every error is JSON ``{"error": "<message>", ...}``:
    400 bad input (malformed JSON, no articles, empty article, unsupported file type)
    404 unknown brief or path          413 body / article / article count over a limit
    415 body is neither JSON nor a form (multipart or urlencoded)
    422 invalid fields (wrong types, words out of range, unknown format); "details" lists them
    503 server busy: more than `max_queue` briefs waiting, or no worker free within
        `queue_timeout` (Retry-After is set)
    504 the brief ran longer than `time_limit` (the brief's own run time, queueing not included)

Limits (Settings field / environment variable / default)
    data_dir           NEWSBRIEF_DATA_DIR           $XDG_DATA_HOME/newsbrief or ~/.local/share/newsbrief
    max_articles       NEWSBRIEF_MAX_ARTICLES       50 articles per brief
    max_article_chars  NEWSBRIEF_MAX_ARTICLE_CHARS  200,000 characters per article (or uploaded file)
    max_body_bytes     NEWSBRIEF_MAX_BODY_BYTES     10,000,000 bytes per request body
    time_limit         NEWSBRIEF_TIME_LIMIT         60 seconds of work per brief (504 past it)
    workers            NEWSBRIEF_WORKERS            2 briefs computed at once (worker threads)
    max_queue          NEWSBRIEF_MAX_QUEUE          100 briefs waiting for a worker (503 past it)
    queue_timeout      NEWSBRIEF_QUEUE_TIMEOUT      120 seconds a brief may wait for a worker (503)
    allowed_hosts      NEWSBRIEF_ALLOWED_HOSTS      Host header names answered (comma-separated); by
                                                    default any, and only loopback names when `run`
                                                    binds a loopback address (against DNS rebinding)

    warm_up            NEWSBRIEF_WARM_UP            brief a tiny sample at start-up (loads the model);
                                                    on by default in `run`, off in `create_app`

Writes (POST/DELETE) carrying an Origin header from another site are refused (403).

Briefs run in a dedicated thread pool (`workers` threads). Python cannot kill a thread, so a brief
that overruns the time limit gets its 504 at once but keeps its worker until it finishes; its
result is then discarded (not saved). The pool size therefore also bounds runaway work.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Callable, Literal

from fastapi import Query, Request
from fastapi_offline import FastAPIOffline as FastAPI  # serves the /docs assets itself: no CDN
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

import newsbrief
from newsbrief.model import Brief
from newsbrief.store import Store

log = logging.getLogger("newsbrief.server")

STATIC_DIR = Path(__file__).parent / "static"
UPLOAD_TYPES = {".txt", ".text", ".md", ".html", ".htm", ".json", ".jsonl"}
MIN_WORDS, MAX_WORDS = 10, 5000
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# The page and static files: only our own script and styles, nothing external, no inline script.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# A brief rendered as HTML by the API: a document of untrusted text, so no script at all.
RENDERED_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "newsbrief"


@dataclass
class Settings:
    """Server settings; `Settings.from_env()` reads NEWSBRIEF_* variables, keyword arguments win."""

    data_dir: Path | None = None  # None: NEWSBRIEF_DATA_DIR or the XDG data directory
    max_articles: int = 50
    max_article_chars: int = 200_000
    max_body_bytes: int = 10_000_000
    time_limit: float = 60.0  # seconds of work per brief (504 past it)
    workers: int = 2  # briefs computed at once
    max_queue: int = 100  # briefs waiting for a worker (503 past it)
    queue_timeout: float = 120.0  # seconds a brief may wait for a worker (503 past it)
    allowed_hosts: list[str] | None = None  # Host names answered; None: any. run() on loopback: loopback names
    warm_up: bool = False  # brief a tiny sample in the background at start-up (loads the model)
    # The brief function, `fn(inputs, words=N) -> Brief`; None means `newsbrief.brief`.
    # For tests and for embedding the app around another pipeline.
    brief_fn: Callable[..., Any] | None = field(default=None, repr=False)

    _ENV = {
        "data_dir": ("NEWSBRIEF_DATA_DIR", Path),
        "max_articles": ("NEWSBRIEF_MAX_ARTICLES", int),
        "max_article_chars": ("NEWSBRIEF_MAX_ARTICLE_CHARS", int),
        "max_body_bytes": ("NEWSBRIEF_MAX_BODY_BYTES", int),
        "time_limit": ("NEWSBRIEF_TIME_LIMIT", float),
        "workers": ("NEWSBRIEF_WORKERS", int),
        "max_queue": ("NEWSBRIEF_MAX_QUEUE", int),
        "queue_timeout": ("NEWSBRIEF_QUEUE_TIMEOUT", float),
        "allowed_hosts": ("NEWSBRIEF_ALLOWED_HOSTS", lambda v: [h.strip() for h in v.split(",") if h.strip()]),
        "warm_up": ("NEWSBRIEF_WARM_UP", lambda v: v.strip().lower() not in ("0", "false", "no", "off")),
    }

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> "Settings":
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, (var, conv) in cls._ENV.items():
            if environ.get(var):
                try:
                    values[name] = conv(environ[var])
                except ValueError as e:
                    raise ValueError(f"{var}={environ[var]!r} is not a valid {getattr(conv, '__name__', 'value')}") from e
        known = {f.name for f in fields(cls)}
        for name, value in overrides.items():
            if name not in known:
                raise TypeError(f"unknown setting {name!r}")
            if value is not None:
                values[name] = value
        return cls(**values)

    def __post_init__(self) -> None:
        if self.data_dir is None:
            self.data_dir = _default_data_dir()
        self.data_dir = Path(self.data_dir).expanduser()
        for name in ("max_articles", "max_article_chars", "max_body_bytes", "workers"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.max_queue < 0:
            raise ValueError("max_queue must be 0 or more")
        if not self.time_limit > 0:
            raise ValueError("time_limit must be more than 0 seconds")
        if not self.queue_timeout > 0:
            raise ValueError("queue_timeout must be more than 0 seconds")

    def limits(self) -> dict[str, Any]:
        return {
            "max_articles": self.max_articles,
            "max_article_chars": self.max_article_chars,
            "max_body_bytes": self.max_body_bytes,
            "time_limit": self.time_limit,
            "queue_timeout": self.queue_timeout,
            "min_words": MIN_WORDS,
            "max_words": MAX_WORDS,
            "default_words": 150,
            "workers": self.workers,
        }


# ---------------------------------------------------------------------------------------------
# Errors


class ApiError(StarletteHTTPException):
    """An error answered as ``{"error": message, **extra}`` with `status`."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(status_code=status, detail=message, headers=headers)
        self.extra = extra


class BodyTooLarge(ApiError):
    def __init__(self, limit: int):
        super().__init__(
            413,
            f"request body is larger than the limit of {limit:,} bytes",
            limit=limit,
            setting="max_body_bytes",
        )


def _error_response(status: int, message: str, headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status, headers=headers)


class BodyLimitMiddleware:
    """Refuse request bodies over `limit` bytes: by Content-Length up front, else while streaming."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit
        for name, value in scope.get("headers") or []:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > limit:
                    return await _error_response(413, BodyTooLarge(limit).detail, limit=limit, setting="max_body_bytes")(
                        scope, receive, send
                    )
        received = 0
        response_started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message):
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge as e:
            if response_started:
                raise
            await _error_response(413, e.detail, **e.extra)(scope, receive, send)


class HostGuardMiddleware:
    """Refuse requests for other host names (DNS rebinding) and cross-site writes (CSRF).

    `allowed_hosts`: host names (no port) the server answers to; None means any. A POST, PUT,
    PATCH or DELETE that carries an Origin header must come from the page's own origin.
    """

    def __init__(self, app, allowed_hosts: list[str] | None):
        self.app = app
        self.allowed = {h.lower().strip("[]") for h in allowed_hosts} if allowed_hosts else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        host = headers.get("host", "")
        if self.allowed is not None:
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name.lower().strip("[]") not in self.allowed:
                return await _error_response(400, f"host {host!r} is not allowed")(scope, receive, send)
        origin = headers.get("origin")
        if origin and scope.get("method") in ("POST", "PUT", "PATCH", "DELETE"):
            origin_host = origin.split("://", 1)[-1].rstrip("/")
            if origin == "null" or origin_host.lower() != host.lower():
                return await _error_response(403, f"cross-site request from {origin!r} refused")(scope, receive, send)
        await self.app(scope, receive, send)


class SecurityHeadersMiddleware:
    """nosniff, no referrer, no framing everywhere; a strict CSP except on the API docs pages."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        docs = path in ("/docs", "/redoc") or path.startswith("/docs/")

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {k.lower() for k, _ in headers}
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                if not docs:
                    extra.append((b"content-security-policy", PAGE_CSP.encode()))
                headers += [(k, v) for k, v in extra if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# ---------------------------------------------------------------------------------------------
# Request bodies


class ArticleIn(BaseModel):
    """One article given as JSON. Only `text` is required."""

    model_config = ConfigDict(extra="ignore")

    text: str = Field(description="The article's text (plain text or HTML).")
    title: str | None = Field(None, max_length=2000)
    source: str | None = Field(None, max_length=2000)
    url: str | None = Field(None, max_length=8000)
    date: str | None = Field(None, max_length=100, description="Publication date, ideally YYYY-MM-DD.")
    id: str | None = Field(None, max_length=200)


class BriefRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    articles: list[ArticleIn] = Field(default_factory=list)
    words: int = Field(150, ge=MIN_WORDS, le=MAX_WORDS, description="Word budget of the summary.")
    format: Literal["json", "markdown", "html"] = "json"
    include_text: bool = Field(True, description="Include each article's cleaned text in the JSON.")


_OPENAPI_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/BriefRequest"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "Article files: .txt, .html/.htm, .json, .jsonl, .md",
                        },
                        "articles": {
                            "type": "string",
                            "description": "Optional JSON list of articles, as in the JSON body",
                        },
                        "words": {"type": "integer", "default": 150},
                        "format": {"type": "string", "enum": ["json", "markdown", "html"]},
                        "include_text": {"type": "boolean", "default": True},
                    },
                }
            },
        },
    }
}


@dataclass
class _Upload:
    name: str  # sanitised base name
    data: bytes


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str, taken: set[str] | None = None) -> str:
    """A base name safe to create in a fresh directory: no path, no odd characters, unique."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _SAFE.sub("_", base).strip("._") or "article"
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = stem[:80] or "article"
    ext = ext[:10]
    candidate = f"{stem}.{ext}" if ext else stem
    n = 2
    while taken is not None and candidate.lower() in taken:
        candidate = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
        n += 1
    if taken is not None:
        taken.add(candidate.lower())
    return candidate


def _json_file_articles(name: str, text: str) -> list[Any]:
    """The articles a .json/.jsonl upload holds (to count them and check their size)."""
    try:
        if name.lower().endswith(".jsonl"):
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            data = json.loads(text)
            if isinstance(data, dict) and isinstance(data.get("articles"), list):
                items = data["articles"]
            elif isinstance(data, list):
                items = data
            else:
                items = [data]
    except json.JSONDecodeError as e:
        raise ApiError(400, f"file {name!r} is not valid JSON: {e.msg} (line {e.lineno})") from None
    return items


def _article_text(item: Any) -> str:
    if isinstance(item, dict):
        for key in ("text", "body", "content", "html"):
            if isinstance(item.get(key), str):
                return item[key]
        return ""
    return item if isinstance(item, str) else ""


def _validation_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for e in errors:
        loc = [str(p) for p in e.get("loc", ()) if p not in ("body",)]
        out.append({"field": ".".join(loc), "message": str(e.get("msg", "")), "type": str(e.get("type", ""))})
    return out


def _validation_message(details: list[dict[str, Any]]) -> str:
    parts = [f"{d['field'] or 'body'}: {d['message']}" for d in details[:5]]
    more = f" (and {len(details) - 5} more)" if len(details) > 5 else ""
    return "invalid fields: " + "; ".join(parts) + more


# ---------------------------------------------------------------------------------------------
# Brief <-> dict


async def _render(brief, fmt: str, brief_id: str, status: int = 200, extra_headers: dict[str, str] | None = None) -> Response:
    """The brief as Markdown or HTML (rendered off the event loop)."""
    headers = {"X-Brief-Id": brief_id, **(extra_headers or {})}
    if fmt == "markdown":
        text = await asyncio.to_thread(brief.to_markdown)
        return PlainTextResponse(text, status_code=status, media_type="text/markdown; charset=utf-8", headers=headers)
    headers["Content-Security-Policy"] = RENDERED_CSP
    return HTMLResponse(await asyncio.to_thread(brief.to_html), status_code=status, headers=headers)


# ---------------------------------------------------------------------------------------------
# Running briefs


class BriefRunner:
    """Runs briefs in a bounded thread pool under the time limit."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=settings.workers, thread_name_prefix="newsbrief-brief"
        )
        self._active = 0  # briefs submitted and not finished: waiting, running or abandoned
        self._lock = threading.Lock()

    def _fn(self) -> Callable[..., Any]:
        return self.settings.brief_fn or newsbrief.brief

    def _work(self, dicts: list[dict[str, Any]], uploads: list[_Upload], words: int, on_start: Callable[[float], None]):
        on_start(time.monotonic())
        tmp = tempfile.mkdtemp(prefix="newsbrief-upload-")
        try:
            paths = []
            for up in uploads:
                p = Path(tmp) / up.name
                p.write_bytes(up.data)
                paths.append(p)  # a Path: read as a file whatever its name looks like
            scrub = [tmp + os.sep, tmp]  # file names, not server paths, in messages
            try:
                brief = self._fn()(list(dicts) + paths, words=words)
            except ValueError as e:
                raise ValueError(_scrub(str(e), scrub)) from None
            data = brief.to_dict(include_text=True)
            data["warnings"] = [_scrub(str(w), scrub) for w in data.get("warnings") or []]
            inputs = [
                {"raw": getattr(a, "raw", "") or "", "origin": Path(a.path).name if getattr(a, "path", "") else "json"}
                for a in getattr(brief, "articles", [])
            ]
            return brief, data, inputs
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            with self._lock:
                self._active -= 1  # done, whether anyone still waits for it or not

    async def run(self, dicts: list[dict[str, Any]], uploads: list[_Upload], words: int):
        """The brief's (Brief, dict, inputs); 503 if it cannot start in time, 504 if it overruns."""
        s = self.settings
        busy = {"Retry-After": "5"}
        with self._lock:
            if self._active >= s.max_queue + s.workers:
                raise ApiError(503, "server busy: too many briefs waiting; try again shortly", headers=busy,
                               limit=s.max_queue, setting="max_queue")
            self._active += 1
        loop = asyncio.get_running_loop()
        started = asyncio.Event()
        started_at: list[float] = []

        def on_start(t: float) -> None:
            started_at.append(t)
            try:
                loop.call_soon_threadsafe(started.set)
            except RuntimeError:  # the loop is gone (server stopped)
                pass

        try:
            cfut = self._pool.submit(self._work, dicts, uploads, words, on_start)
        except RuntimeError:  # pool shut down
            with self._lock:
                self._active -= 1
            raise ApiError(503, "server is shutting down", headers=busy) from None
        afut = asyncio.wrap_future(cfut)
        afut.add_done_callback(lambda f: f.cancelled() or f.exception())  # never "unretrieved"

        # 1. wait for a worker
        try:
            await asyncio.wait_for(started.wait(), timeout=s.queue_timeout)
        except asyncio.TimeoutError:
            if cfut.cancel():  # it never started
                with self._lock:
                    self._active -= 1
                raise ApiError(
                    503,
                    f"server busy: no worker was free within {s.queue_timeout:g} s; try again shortly",
                    headers=busy,
                    limit=s.queue_timeout,
                    setting="queue_timeout",
                ) from None
            # it started just now: go on
        # 2. the brief itself, under the time limit
        while not started_at:  # set before `started`, unless we got here by a lost race
            await asyncio.sleep(0)
        remaining = s.time_limit - (time.monotonic() - started_at[0])
        try:
            return await asyncio.wait_for(asyncio.shield(afut), timeout=max(remaining, 0.0))
        except asyncio.TimeoutError:
            raise ApiError(
                504,
                f"the brief took longer than the time limit of {s.time_limit:g} s; send fewer or shorter articles",
                limit=s.time_limit,
                setting="time_limit",
            ) from None

    def warm_up(self) -> None:
        """Brief a tiny sample on a worker, in the background, so the first real brief is fast."""

        def go():
            try:
                self._fn()([{"text": _WARM_UP_TEXT, "title": "warm-up"}], words=20)
            except Exception:  # a failed warm-up only means a slower first brief
                log.warning("warm-up brief failed", exc_info=True)

        self._pool.submit(go)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


_WARM_UP_TEXT = (
    "The council met on Monday to discuss the new budget. Members agreed to raise funding for "
    "schools and roads. The mayor said the plan would be voted on next month. Critics said the "
    "increase was too small to fix the problems the city faces."
)


def _scrub(text: str, prefixes: list[str]) -> str:
    for p in prefixes:
        text = text.replace(p, "")
    return text


# ---------------------------------------------------------------------------------------------
# The app


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI app: API, page and store. `settings` defaults to `Settings.from_env()`."""
    settings = settings or Settings.from_env()
    store = Store(settings.data_dir)
    runner = BriefRunner(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.warm_up:
            runner.warm_up()
        try:
            yield
        finally:
            runner.shutdown()
            store.close()

    app = FastAPI(
        title="newsbrief",
        version=newsbrief.__version__,
        description="Many news articles about one story in, one cited brief out. "
        "Errors are JSON `{\"error\": message}`.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.runner = runner
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(HostGuardMiddleware, allowed_hosts=settings.allowed_hosts)

    def openapi_with_bodies():
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
        app.openapi_schema = spec
        return spec

    app.openapi = openapi_with_bodies

    # -- errors -------------------------------------------------------------------------------
    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        extra = getattr(exc, "extra", {}) or {}
        message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"not found: {request.url.path}"
        elif exc.status_code == 405:
            message = f"method {request.method} not allowed on {request.url.path}"
        return _error_response(exc.status_code, message, headers=getattr(exc, "headers", None), **extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        details = _validation_details(exc.errors())
        return _error_response(422, _validation_message(details), details=details)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error_response(500, "internal server error")

    # -- page ---------------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    async def index():
        return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # -- API ----------------------------------------------------------------------------------
    @app.get("/api/health", tags=["meta"])
    async def health():
        """Status, version and the limits in force."""
        return {"status": "ok", "version": newsbrief.__version__, "limits": settings.limits()}

    @app.post(
        "/api/briefs",
        status_code=201,
        tags=["briefs"],
        openapi_extra=_OPENAPI_BODY,
        responses={
            201: {"description": "The brief JSON with its `id` and `created_at` (or Markdown/HTML by `format`)"},
            400: {"description": "Bad input"},
            413: {"description": "Body, article or article count over a limit"},
            415: {"description": "Neither JSON nor multipart"},
            422: {"description": "Invalid fields"},
            503: {"description": "Busy: the brief could not start in time"},
            504: {"description": "The brief did not finish within the time limit"},
        },
    )
    async def create_brief(request: Request):
        """Brief the articles given as JSON and/or uploaded files; the brief is saved."""
        req, uploads = await _parse_brief_request(request, settings)
        dicts = [
            {k: v for k, v in a.model_dump().items() if v is not None} for a in req.articles
        ]
        try:
            brief, data, inputs = await runner.run(dicts, uploads, req.words)
        except ApiError:
            raise
        except ValueError as e:
            raise ApiError(400, f"could not brief these articles: {e}") from None
        saved = await asyncio.to_thread(store.save, data, inputs)
        location = {"Location": f"/api/briefs/{saved['id']}"}
        if req.format != "json":
            return await _render(brief, req.format, saved["id"], status=201, extra_headers=location)
        if not req.include_text:
            for a in data.get("articles") or []:
                a.pop("text", None)
        return JSONResponse({**saved, **data}, status_code=201, headers=location)

    @app.get("/api/briefs", tags=["briefs"])
    async def list_briefs(
        limit: int = Query(20, ge=1, le=100, description="Page size"),
        offset: int = Query(0, ge=0, description="Briefs to skip"),
    ):
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

    @app.get("/api/briefs/{brief_id}", tags=["briefs"], responses={404: {"description": "No such brief"}})
    async def get_brief(
        brief_id: str,
        format: Literal["json", "markdown", "html"] = Query("json"),
        include_text: bool = Query(True),
    ):
        """One saved brief: JSON (default), Markdown or HTML."""
        data = await asyncio.to_thread(store.get, brief_id)
        if data is None:
            raise ApiError(404, f"no brief with id {brief_id!r}")
        if format != "json":
            return await _render(Brief.from_dict(data), format, brief_id)
        if not include_text:
            for a in data.get("articles") or []:
                a.pop("text", None)
        return data

    @app.delete("/api/briefs/{brief_id}", status_code=204, tags=["briefs"], responses={404: {"description": "No such brief"}})
    async def delete_brief(brief_id: str):
        """Delete a saved brief and its articles."""
        if not await asyncio.to_thread(store.delete, brief_id):
            raise ApiError(404, f"no brief with id {brief_id!r}")
        return Response(status_code=204)

    return app


async def _parse_brief_request(request: Request, settings: Settings) -> tuple[BriefRequest, list[_Upload]]:
    """The request's fields and uploads, checked against the limits."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    uploads: list[_Upload] = []
    if ctype in ("application/json", "") or ctype.endswith("+json"):
        raw = await request.body()
        if not raw.strip():
            raise ApiError(400, 'empty body: send {"articles": [{"text": "..."}, ...]} or upload files')
        try:
            payload = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise ApiError(400, f"request body is not valid JSON: {e}") from None
        if isinstance(payload, list):
            payload = {"articles": payload}
        if not isinstance(payload, dict):
            raise ApiError(400, 'request body must be a JSON object {"articles": [...]} or a list of articles')
    elif ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        try:
            form = await request.form(max_files=settings.max_articles + 1, max_fields=100, max_part_size=settings.max_body_bytes)
        except BodyTooLarge:
            raise
        except Exception as e:  # starlette's MultiPartException and friends
            detail = getattr(e, "detail", None) or getattr(e, "message", None) or str(e)
            if "Too many files" in str(detail):
                raise ApiError(
                    413,
                    f"too many files: at most {settings.max_articles} articles per brief",
                    limit=settings.max_articles,
                    setting="max_articles",
                ) from None
            raise ApiError(400, f"could not read the form: {detail}") from None
        payload = {}
        for key in ("words", "format", "include_text"):
            if form.get(key) not in (None, ""):
                payload[key] = form.get(key)
        text_articles = form.get("articles")
        if isinstance(text_articles, str) and text_articles.strip():
            try:
                parsed = json.loads(text_articles)
            except json.JSONDecodeError as e:
                raise ApiError(400, f"form field 'articles' is not valid JSON: {e}") from None
            if isinstance(parsed, dict) and "articles" in parsed:
                parsed = parsed["articles"]
            payload["articles"] = parsed if isinstance(parsed, list) else [parsed]
        taken: set[str] = set()
        for key in ("files", "file"):
            for item in form.getlist(key):
                if not isinstance(item, UploadFile):
                    raise ApiError(400, f"form field {key!r} must be a file upload")
                original = item.filename or "article.txt"
                ext = Path(original).suffix.lower()
                if ext not in UPLOAD_TYPES:
                    raise ApiError(
                        400,
                        f"file {original!r}: unsupported type {ext or '(none)'}; use "
                        + ", ".join(sorted(UPLOAD_TYPES)),
                    )
                data = await item.read()
                uploads.append(_Upload(safe_filename(original, taken), data))
                item.file.close()
    else:
        raise ApiError(415, f"unsupported content type {ctype!r}: send application/json or multipart/form-data")

    try:
        req = BriefRequest.model_validate(payload)
    except ValidationError as e:
        details = _validation_details(e.errors())
        raise ApiError(422, _validation_message(details), details=details) from None

    # -- limits and emptiness -------------------------------------------------------------------
    count = len(req.articles)
    for n, a in enumerate(req.articles, 1):
        if not a.text.strip():
            raise ApiError(400, f"article {n} has no text")
        if len(a.text) > settings.max_article_chars:
            raise ApiError(
                413,
                f"article {n} has {len(a.text):,} characters, over the limit of {settings.max_article_chars:,}",
                limit=settings.max_article_chars,
                setting="max_article_chars",
            )
    for up in uploads:
        text = up.data.decode("utf-8", errors="replace")
        if not text.strip():
            raise ApiError(400, f"file {up.name!r} is empty")
        if up.name.lower().endswith((".json", ".jsonl")):
            items = _json_file_articles(up.name, text)
            count += len(items)
            for i, item in enumerate(items, 1):
                if len(_article_text(item)) > settings.max_article_chars:
                    raise ApiError(
                        413,
                        f"file {up.name!r}, article {i} is over the limit of {settings.max_article_chars:,} characters",
                        limit=settings.max_article_chars,
                        setting="max_article_chars",
                    )
        else:
            count += 1
            if len(text) > settings.max_article_chars:
                raise ApiError(
                    413,
                    f"file {up.name!r} has {len(text):,} characters, over the limit of {settings.max_article_chars:,}",
                    limit=settings.max_article_chars,
                    setting="max_article_chars",
                )
    if count == 0:
        raise ApiError(400, 'no articles: send {"articles": [{"text": "..."}, ...]} or upload files')
    if count > settings.max_articles:
        raise ApiError(
            413,
            f"{count} articles: at most {settings.max_articles} per brief",
            limit=settings.max_articles,
            setting="max_articles",
        )
    return req, uploads


def run(host: str = "127.0.0.1", port: int = 8000, data_dir: str | Path | None = None, **limits: Any) -> None:
    """Serve the API and page with uvicorn (what `newsbrief serve` calls).

    `limits`: max_articles, max_article_chars, max_body_bytes, time_limit, workers, max_queue
    (None means "not given": the environment or the default applies).
    """
    import uvicorn

    log_level = limits.pop("log_level", "info")
    if limits.get("warm_up") is None and not os.environ.get("NEWSBRIEF_WARM_UP"):
        limits["warm_up"] = True  # a server started by hand loads the model at once
    settings = Settings.from_env(data_dir=data_dir, **limits)
    if settings.allowed_hosts is None and host in LOOPBACK:
        settings.allowed_hosts = sorted(LOOPBACK)
    app = create_app(settings)
    print(f"newsbrief: serving http://{host}:{port}/  (data: {settings.data_dir})", flush=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level)


if __name__ == "__main__":  # python -m newsbrief.server [--host H] [--port P] [--data-dir D]
    import argparse

    ap = argparse.ArgumentParser(description="newsbrief web server")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--data-dir")
    ap.add_argument("--max-articles", type=int)
    ap.add_argument("--max-article-chars", type=int)
    ap.add_argument("--max-body-bytes", type=int)
    ap.add_argument("--time-limit", type=float)
    ap.add_argument("--workers", type=int)
    ap.add_argument("--log-level", default="info")
    ns = ap.parse_args()
    run(
        ns.host,
        ns.port,
        ns.data_dir,
        max_articles=ns.max_articles,
        max_article_chars=ns.max_article_chars,
        max_body_bytes=ns.max_body_bytes,
        time_limit=ns.time_limit,
        workers=ns.workers,
        log_level=ns.log_level,
    )
