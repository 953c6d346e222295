"""Running briefs: worker processes, a bounded queue in front of them, and a time limit that stops the work.

    503 server busy: more than `max_queue` briefs waiting, or no worker free within
        `queue_timeout` (Retry-After is set)
    504 the brief ran longer than `time_limit` (the brief's own run time, queueing not included)
    500 the brief function failed unexpectedly, or its worker process died (it is replaced)

Each brief runs in one of `workers` child processes (`newsbrief.web.worker`), started at start-up
and reused. They are forked from multiprocessing's fork server, which imports the pipeline once
(PRELOAD; "spawn" where there is no fork server); each worker loads the model itself (at start-up
with `warm_up`), about 150-250 MB each. A brief that overruns the time limit gets its 504 at once and its
process is killed (SIGKILL) and replaced in the background: the work really stops, and abandoned
briefs never pile up. Uploaded files are written to a temporary directory by the server and
removed after the brief, however it ended. `Settings.brief_fn` therefore has to be picklable (a
module-level function); the child imports it by name.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import multiprocessing
import pickle
import shutil
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from newsbrief.web.errors import ApiError
from newsbrief.web.parsing import Upload
from newsbrief.web.settings import Settings
from newsbrief.web.worker import WARM_UP_TEXT, serve_briefs

log = logging.getLogger("newsbrief.web")

READY_TIMEOUT = 300.0  # seconds a new worker may take to start (import, warm-up)
RESTART_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)  # between failed worker starts

__all__ = ["BriefRunner", "WARM_UP_TEXT"]


# Imported once by the fork server, so that a new worker starts in milliseconds, not seconds. Only
# modules: the model (onnxruntime and its threads) is loaded in each worker, after the fork.
PRELOAD = ["newsbrief.web.worker", "newsbrief.pipeline"]


def _context() -> Any:
    """multiprocessing's "forkserver" (new workers are forks of a clean, single-threaded process that
    has imported PRELOAD) where there is one, else "spawn". Never a plain fork of the server."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, ctx: Any, pickled_fn: bytes | None, warm_up: bool):
        self.conn: Connection
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(
            target=serve_briefs, args=(child, pickled_fn, warm_up), name="newsbrief-brief", daemon=True
        )
        self.proc.start()
        child.close()

    @property
    def pid(self) -> int | None:
        return self.proc.pid

    def wait_ready(self, timeout: float) -> str | None:
        """None once the worker says it is ready, else what went wrong."""
        try:
            if not self.conn.poll(timeout):
                return f"not ready within {timeout:g} s"
            message = self.conn.recv()
        except (EOFError, OSError):
            self.proc.join(1)
            return f"it exited at start-up ({self.describe_exit()})"
        if message[0] == "ready":
            if message[2]:
                log.warning("brief worker %s: %s", self.pid, message[2])
            return None
        return str(message[2])

    def describe_exit(self) -> str:
        code = self.proc.exitcode
        if code is None:
            return "still running"
        return f"killed by signal {-code}" if code < 0 else f"exit code {code}"

    def alive(self) -> bool:
        return self.proc.is_alive()

    def kill(self) -> None:
        """SIGKILL, reaped; safe to call twice, from any thread. The pipe is not closed here (another
        thread may be waiting on it: the child's death wakes it up); it closes with this object."""
        try:
            self.proc.kill()
            self.proc.join(10)
        except (OSError, ValueError, AssertionError):
            pass


class BriefRunner:
    """Runs briefs in `workers` worker processes under the time limit, behind a bounded queue."""

    def __init__(self, settings: Settings):
        self.settings = settings
        try:
            self._pickled_fn = pickle.dumps(settings.brief_fn) if settings.brief_fn is not None else None
        except (pickle.PicklingError, AttributeError, TypeError) as e:
            raise ValueError(
                f"brief_fn must be a module-level function: briefs run in worker processes ({e})"
            ) from None
        self._ctx = _context()
        # one thread per busy worker: it sends the job and waits for the answer under the time limit
        self._threads = concurrent.futures.ThreadPoolExecutor(
            max_workers=settings.workers, thread_name_prefix="newsbrief-brief"
        )
        self._lock = threading.Lock()
        self._active = 0  # briefs waiting for a worker or running
        self._workers: set[_Worker] = set()  # started and not killed
        self._idle: asyncio.Queue[_Worker] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closing = threading.Event()

    # -- workers ------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker processes in the background (from the event loop; once)."""
        if self._idle is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        for _ in range(self.settings.workers):
            self._start_worker()

    def worker_pids(self) -> list[int]:
        with self._lock:
            return sorted(w.pid for w in self._workers if w.pid is not None)

    def _start_worker(self) -> None:
        if not self._closing.is_set():
            threading.Thread(target=self._spawn, name="newsbrief-spawn", daemon=True).start()

    def _spawn(self) -> None:
        """Start one worker and put it in the pool once ready; retry, more and more slowly, on failure."""
        failures = 0
        while True:
            if failures and self._closing.wait(RESTART_DELAYS[min(failures, len(RESTART_DELAYS)) - 1]):
                return
            failures += 1
            try:
                worker = _Worker(self._ctx, self._pickled_fn, self.settings.warm_up)
            except OSError as e:
                log.error("cannot start a brief worker: %s", e.strerror or e)
                continue
            with self._lock:
                if self._closing.is_set():
                    worker.kill()
                    return
                self._workers.add(worker)
            problem = worker.wait_ready(READY_TIMEOUT)
            if problem is None:
                self._give_back(worker)
                return
            self._discard(worker)
            if self._closing.is_set():
                return
            log.error("a brief worker failed to start: %s", problem)

    def _give_back(self, worker: _Worker) -> None:
        """An idle worker back in the pool (from any thread)."""
        loop, idle = self._loop, self._idle
        try:
            if loop is None or idle is None or self._closing.is_set():
                raise RuntimeError("stopped")
            loop.call_soon_threadsafe(idle.put_nowait, worker)
        except RuntimeError:  # the loop is gone: the server stopped
            self._discard(worker)

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._workers.discard(worker)

    def _replace(self, worker: _Worker) -> None:
        self._discard(worker)
        self._start_worker()

    # -- one brief ----------------------------------------------------------------------------
    def _call(self, worker: _Worker, job: dict[str, Any], uploads: list[Upload],
              since_uploads: list[Upload] | None = None) -> tuple[Any, ...]:
        """In a pool thread: the job on `worker` under the time limit; the worker is given back or replaced."""
        tmp = tempfile.mkdtemp(prefix="newsbrief-upload-")
        try:
            def write(ups: list[Upload], where: Path) -> list[str]:
                where.mkdir(exist_ok=True)
                out = []
                for up in ups:
                    p = where / up.name
                    p.write_bytes(up.data)
                    out.append(str(p))
                return out

            paths = write(uploads, Path(tmp))
            if since_uploads:
                job = {**job, "since_paths": write(since_uploads, Path(tmp) / "earlier")}
            try:
                worker.conn.send({**job, "paths": paths, "tmp": tmp})
                if not worker.conn.poll(self.settings.time_limit):
                    log.warning("brief over the time limit: worker %s killed and replaced", worker.pid)
                    self._replace(worker)
                    return ("timeout",)
                outcome = worker.conn.recv()
            except (EOFError, OSError):
                worker.proc.join(1)
                how = worker.describe_exit()
                log.error("brief worker %s stopped during a brief (%s); replaced", worker.pid, how)
                self._replace(worker)
                return ("died", how)
            self._give_back(worker)
            return tuple(outcome)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    async def _acquire(self, deadline: float) -> _Worker:
        """An idle, live worker; 503 past `deadline` (monotonic)."""
        assert self._idle is not None
        s = self.settings
        while True:
            try:
                worker = await asyncio.wait_for(self._idle.get(), timeout=max(deadline - time.monotonic(), 0.0))
            except asyncio.TimeoutError:
                raise ApiError(
                    503,
                    f"server busy: no worker was free within {s.queue_timeout:g} s; try again shortly",
                    headers={"Retry-After": "5"},
                    limit=s.queue_timeout,
                    setting="queue_timeout",
                ) from None
            if worker.alive():
                return worker
            log.error("brief worker %s had stopped while idle (%s); replaced", worker.pid, worker.describe_exit())
            self._replace(worker)

    async def run(
        self, dicts: list[dict[str, Any]], uploads: list[Upload], words: int, fmt: str = "json",
        story: int | str = "largest", since: list[dict[str, Any]] | None = None,
        since_uploads: list[Upload] | None = None, query: str | None = None,
    ) -> tuple[dict[str, Any], list[dict[str, Any]], str | None]:
        """The brief's (dict, inputs, rendered Markdown/HTML or None). `since` (saved brief dicts and earlier
        article dicts) and/or `since_uploads`: an update brief; `query`: a question-focused brief.

        503 if it cannot start in time, 504 if it overruns (its process is killed), 500 if it crashed;
        ValueError (bad input) from the brief function is raised as ValueError.
        """
        s = self.settings
        busy = {"Retry-After": "5"}
        if self._closing.is_set():
            raise ApiError(503, "server is shutting down", headers=busy)
        self.start()
        with self._lock:
            if self._active >= s.max_queue + s.workers:
                raise ApiError(503, "server busy: too many briefs waiting; try again shortly", headers=busy,
                               limit=s.max_queue, setting="max_queue")
            self._active += 1
        try:
            worker = await self._acquire(time.monotonic() + s.queue_timeout)
            job: dict[str, Any] = {"dicts": dicts, "words": words, "format": fmt, "story": story}
            if since is not None or since_uploads:
                job["since"] = list(since or [])
            if query is not None:
                job["query"] = query
            loop = asyncio.get_running_loop()
            try:
                outcome = await loop.run_in_executor(self._threads, self._call, worker, job, uploads,
                                                     list(since_uploads or []))
            except RuntimeError:  # the thread pool is shut down
                self._give_back(worker)
                raise ApiError(503, "server is shutting down", headers=busy) from None
        finally:
            with self._lock:
                self._active -= 1
        kind = outcome[0]
        if kind == "ok":
            return outcome[1], outcome[2], outcome[3]
        if kind == "invalid":
            raise ValueError(outcome[1])
        if kind == "timeout":
            raise ApiError(
                504,
                f"the brief took longer than the time limit of {s.time_limit:g} s; send fewer or shorter articles",
                limit=s.time_limit,
                setting="time_limit",
            )
        if kind == "died":
            raise ApiError(500, f"internal server error: the worker computing the brief stopped ({outcome[1]})")
        log.error("brief failed: %s\n%s", outcome[1], outcome[2] if len(outcome) > 2 else "")
        raise ApiError(500, "internal server error")

    def shutdown(self) -> None:
        """Stop every worker process (briefs still running are abandoned)."""
        self._closing.set()
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for w in workers:
            w.kill()
        self._threads.shutdown(wait=False, cancel_futures=True)
