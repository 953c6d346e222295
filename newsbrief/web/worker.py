"""The child side of the runner: a worker process that computes briefs, one at a time.

The server starts `workers` of these (`multiprocessing`, "spawn"), each with one end of a pipe.
Protocol, parent -> child: a job dict, or None to stop; child -> parent: ("ready", pid, warning)
(or ("failed", pid, message), and the child ends) once, then one answer per job:

    ("ok", data, inputs, rendered)   data = brief.to_dict(include_text=True); rendered is the Markdown
                                     or HTML text when the job asked for it, else None
    ("invalid", message)             the brief function raised ValueError (bad input: HTTP 400)
    ("error", summary, traceback)    anything else (HTTP 500; the traceback goes to the server log)

This module imports nothing heavy: the brief function (by default `newsbrief.brief`) loads the
pipeline in the child. A worker that overruns the time limit is killed by the parent (SIGKILL) and
replaced, so the work really stops.
"""

from __future__ import annotations

import os
import pickle
import signal
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

WARM_UP_TEXT = (
    "The council met on Monday to discuss the new budget. Members agreed to raise funding for "
    "schools and roads. The mayor said the plan would be voted on next month. Critics said the "
    "increase was too small to fix the problems the city faces."
)


def _scrub(text: str, prefixes: list[str]) -> str:
    for p in prefixes:
        text = text.replace(p, "")
    return text


def _default_fn() -> Callable[..., Any]:
    import newsbrief

    return newsbrief.brief


def run_job(fn: Callable[..., Any], job: dict[str, Any]) -> tuple[Any, ...]:
    """One brief: `job` = {"dicts", "paths", "tmp", "words", "format", "story"?, "since"?, "since_paths"?,
    "query"?} -> an answer tuple (see above). `since` (saved brief dicts, earlier article dicts) and
    `since_paths` are passed as the brief function's `since`, `query` as its `query`, only when given."""
    tmp = str(job.get("tmp") or "")
    scrub = [tmp + os.sep, tmp] if tmp else []  # file names, not server paths, in messages
    paths = [Path(p) for p in job.get("paths") or []]  # Paths: read as files whatever their names look like
    try:
        story = job.get("story", "largest")
        options: dict[str, Any] = {} if story == "largest" else {"story": story}  # a brief_fn need not know
        if "since" in job or job.get("since_paths"):
            options["since"] = list(job.get("since") or []) + [Path(p) for p in job.get("since_paths") or []]
        if job.get("query") is not None:
            options["query"] = job["query"]
        brief = fn(list(job.get("dicts") or []) + paths, words=job["words"], **options)
        data = brief.to_dict(include_text=True)
        data["warnings"] = [_scrub(str(w), scrub) for w in data.get("warnings") or []]
        inputs = [
            {"raw": getattr(a, "raw", "") or "", "origin": Path(a.path).name if getattr(a, "path", "") else "json"}
            for a in getattr(brief, "articles", [])
        ]
        fmt = job.get("format") or "json"
        rendered = brief.to_markdown() if fmt == "markdown" else brief.to_html() if fmt == "html" else None
        return ("ok", data, inputs, rendered)
    except ValueError as e:
        return ("invalid", _scrub(str(e), scrub))
    except Exception as e:  # noqa: BLE001 - reported to the parent, which answers 500
        return ("error", _scrub(f"{type(e).__name__}: {e}", scrub), _scrub(traceback.format_exc(), scrub))


def serve_briefs(conn: Connection, pickled_fn: bytes | None, warm_up: bool) -> None:
    """The worker process's main loop (the target of `multiprocessing.Process`).

    `pickled_fn`: the brief function, pickled (by reference: a module-level function), or None for
    `newsbrief.brief`. Unpickled here, so that a failure is reported, not printed as a traceback.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which then stops us
    try:
        try:
            fn = pickle.loads(pickled_fn) if pickled_fn else _default_fn()
        except Exception as e:  # noqa: BLE001
            conn.send(("failed", os.getpid(), f"cannot load the brief function: {type(e).__name__}: {e}"))
            return
        warning = None
        if warm_up:  # load the model now, so that the first real brief is fast
            outcome = run_job(fn, {"dicts": [{"text": WARM_UP_TEXT, "title": "warm-up"}], "words": 20})
            if outcome[0] != "ok":
                warning = f"warm-up brief failed: {outcome[1]}"
        conn.send(("ready", os.getpid(), warning))
        while True:
            job = conn.recv()
            if job is None:
                return
            conn.send(run_job(fn, job))
    except (EOFError, OSError, KeyboardInterrupt):  # the server has gone, or is stopping
        return
