"""Errors and the guards in front of the routes.

Every error is JSON ``{"error": "<message>", ...}`` (`ApiError` carries the status and the extra
fields). The middlewares: the body-size limit, the host check (against DNS rebinding), the origin
check on writes (against cross-site requests) and the security headers (CSP and friends).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("newsbrief.web")

# The page and static files: only our own script and styles, nothing external, no inline script.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# A brief rendered as HTML by the API: a document of untrusted text, so no script at all.
RENDERED_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


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


def error_response(status: int, message: str, headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status, headers=headers)


def validation_details(errors: Any) -> list[dict[str, Any]]:
    out = []
    for e in errors:
        loc = [str(p) for p in e.get("loc", ()) if p not in ("body",)]
        out.append({"field": ".".join(loc), "message": str(e.get("msg", "")), "type": str(e.get("type", ""))})
    return out


def validation_message(details: list[dict[str, Any]]) -> str:
    parts = [f"{d['field'] or 'body'}: {d['message']}" for d in details[:5]]
    more = f" (and {len(details) - 5} more)" if len(details) > 5 else ""
    return "invalid fields: " + "; ".join(parts) + more


def install_error_handlers(app: FastAPI) -> None:
    """JSON errors for HTTP errors, invalid fields and anything unexpected (logged, never shown)."""

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        extra = getattr(exc, "extra", {}) or {}
        message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"not found: {request.url.path}"
        elif exc.status_code == 405:
            message = f"method {request.method} not allowed on {request.url.path}"
        return error_response(exc.status_code, message, headers=getattr(exc, "headers", None), **extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = validation_details(exc.errors())
        return error_response(422, validation_message(details), details=details)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal server error")


# ---------------------------------------------------------------------------------------------
# Middleware


class BodyLimitMiddleware:
    """Refuse request bodies over `limit` bytes: by Content-Length up front, else while streaming."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
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
                    too_large = BodyTooLarge(limit)
                    return await error_response(413, too_large.detail, **too_large.extra)(scope, receive, send)
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge as e:
            if response_started:
                raise
            await error_response(413, e.detail, **e.extra)(scope, receive, send)


class HostGuardMiddleware:
    """Refuse requests for other host names (DNS rebinding) and cross-site writes (CSRF).

    `allowed_hosts`: host names (no port) the server answers to; None means any. A POST, PUT,
    PATCH or DELETE that carries an Origin header must come from the page's own origin.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: list[str] | None):
        self.app = app
        self.allowed = {h.lower().strip("[]") for h in allowed_hosts} if allowed_hosts else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        host = headers.get("host", "")
        if self.allowed is not None:
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name.lower().strip("[]") not in self.allowed:
                return await error_response(400, f"host {host!r} is not allowed")(scope, receive, send)
        origin = headers.get("origin")
        if origin and scope.get("method") in ("POST", "PUT", "PATCH", "DELETE"):
            origin_host = origin.split("://", 1)[-1].rstrip("/")
            if origin == "null" or origin_host.lower() != host.lower():
                return await error_response(403, f"cross-site request from {origin!r} refused")(scope, receive, send)
        await self.app(scope, receive, send)


class SecurityHeadersMiddleware:
    """nosniff, no referrer, no framing everywhere; a strict CSP except on the API docs pages."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        docs = path in ("/docs", "/redoc") or path.startswith("/docs/")

        async def send_with_headers(message: Message) -> None:
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
