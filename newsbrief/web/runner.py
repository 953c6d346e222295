"""Running briefs: a bounded pool of workers, a bounded queue in front of it, and the time limit.

    503 server busy: more than `max_queue` briefs waiting, or no worker free within
        `queue_timeout` (Retry-After is set)
    504 the brief ran longer than `time_limit` (the brief's own run time, queueing not included)

Briefs run in a dedicated thread pool (`workers` threads). Python cannot kill a thread, so a brief
that overruns the time limit gets its 504 at once but keeps its worker until it finishes; its
result is then discarded (not saved). The pool size therefore also bounds runaway work.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import newsbrief
from newsbrief.web.errors import ApiError
from newsbrief.web.parsing import Upload
from newsbrief.web.settings import Settings

log = logging.getLogger("newsbrief.web")

WARM_UP_TEXT = (
    "The council met on Monday to discuss the new budget. Members agreed to raise funding for "
    "schools and roads. The mayor said the plan would be voted on next month. Critics said the "
    "increase was too small to fix the problems the city faces."
)


def _scrub(text: str, prefixes: list[str]) -> str:
    for p in prefixes:
        text = text.replace(p, "")
    return text


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

    def _work(self, dicts: list[dict[str, Any]], uploads: list[Upload], words: int, on_start: Callable[[float], None]):
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

    async def run(self, dicts: list[dict[str, Any]], uploads: list[Upload], words: int):
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
                self._fn()([{"text": WARM_UP_TEXT, "title": "warm-up"}], words=20)
            except Exception:  # a failed warm-up only means a slower first brief
                log.warning("warm-up brief failed", exc_info=True)

        self._pool.submit(go)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
