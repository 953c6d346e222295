"""The ``newsbrief stories`` command: read a corpus, group it, brief every story, write the index.

Briefs are made in parallel (``jobs`` worker processes, or the Dask cluster when one is given)
with a progress bar over them; each is ``newsbrief.pipeline.brief_articles(articles, words=...)``
written as ``stories/<id>.json`` plus ``.md`` or ``.html``. The index lists every story with its
headline, outlets, date range and status (new / updated / unchanged since the last ``--state``
run) as ``index.json`` plus ``index.md`` or ``index.html``.
"""

from __future__ import annotations

import html
import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from newsbrief.model import Article
from newsbrief.stories.distributed import Progress, dask_client, run_tasks
from newsbrief.stories.grouping import DEFAULT_DECAY_DAYS, DEFAULT_THRESHOLD, DEFAULT_WINDOW_DAYS, group_stories
from newsbrief.stories.state import load_state, new_state

DEFAULT_MIN_SIZE = 2  # stories with fewer articles are grouped and listed, but not briefed
DEFAULT_BRIEF_WORDS = 150
FORMATS = ("md", "html", "json")


class NoUsableCorpus(ValueError):
    """Nothing in the corpus could be read as an article; ``warnings`` says why, input by input."""

    def __init__(self, message: str, warnings: list[str]):
        super().__init__(message)
        self.warnings = warnings


def read_corpus(paths: Sequence[str | os.PathLike] | str | os.PathLike) -> tuple[list[Article], list[str]]:
    """Cleaned articles of a corpus (files and directories, recursively; JSONL of articles or of
    benchmark rows) and the warnings, read by :func:`newsbrief.readers.read_inputs`, so a file
    gives the same article ids here as through ``newsbrief brief``."""
    from newsbrief.readers import read_inputs

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return read_inputs([Path(p) for p in paths])


# ---------------------------------------------------------------------------------------------
# briefs


def brief_story(articles: list[Article], words: int, fmt: str, options: dict[str, Any]) -> dict[str, str]:
    """One story's brief: {"json", fmt, "title"} texts, or {"error"}; an error never stops the others."""
    try:
        from newsbrief.pipeline import brief_articles

        b = brief_articles(articles, words=words, **options)
        out = {"json": b.to_json(), "title": b.title}
        if fmt == "md":
            out["md"] = b.to_markdown()
        elif fmt == "html":
            out["html"] = b.to_html()
        return out
    except Exception as e:  # noqa: BLE001
        return {"error": f"{type(e).__name__}: {e}"}


def _brief_all(tasks: list[tuple], client: Any, jobs: int, progress: Callable[[int], None] | None) -> list[dict]:
    """brief_story(*task) for every task: on Dask, in `jobs` worker processes, or here (jobs <= 1)."""
    if client is not None or jobs <= 1 or len(tasks) <= 1:
        return run_tasks(brief_story, tasks, client, progress)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    results: list[dict] = [{} for _ in tasks]
    # spawn, not fork: the parent may hold threads (onnxruntime, Dask) that fork would copy half-way
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=multiprocessing.get_context("spawn"),
                             initializer=_warm_briefer) as pool:
        futures = {pool.submit(brief_story, *t): k for k, t in enumerate(tasks)}
        for fut in as_completed(futures):
            results[futures[fut]] = fut.result()
            if progress:
                progress(1)
    return results


def _warm_briefer() -> None:
    import newsbrief.pipeline  # noqa: F401  (imports once per worker, before its first story)


# ---------------------------------------------------------------------------------------------
# the command


def _update_tasks(todo: list[Any], by_id: dict[str, Article], out: Path, words: int,
                  options: dict[str, Any] | None) -> list[tuple[Any, tuple]]:
    """(story, story_update arguments) for the stories that gained articles and have a previous brief on disk:
    their update brief says what the new articles add to it (newsbrief.update.story_update)."""
    tasks = []
    for s in todo:
        previous = out / "stories" / f"{s.id}.json"
        new = [by_id[x] for x in s.articles[len(s.articles) - s.new_articles:] if x in by_id]
        if not new or s.new_articles >= s.size or not previous.exists():
            continue
        try:
            saved = json.loads(previous.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        tasks.append((s, (new, saved, words, dict(options or {}))))
    return tasks


def run_stories(
    corpus: Sequence[str | os.PathLike] | str | os.PathLike,
    out_dir: str | os.PathLike,
    threshold: float = DEFAULT_THRESHOLD,
    window_days: int = DEFAULT_WINDOW_DAYS,
    min_size: int = DEFAULT_MIN_SIZE,
    state_path: str | os.PathLike | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool | None = None,
    words: int = DEFAULT_BRIEF_WORDS,
    brief_options: dict[str, Any] | None = None,
    fmt: str = "md",
    jobs: int | None = None,
    online: bool = False,
    decay_days: float | None = DEFAULT_DECAY_DAYS,
) -> dict[str, Any]:
    """``newsbrief stories CORPUS --out DIR``: group the corpus, brief every story of at least
    ``min_size`` articles (with ``--state``: every such story that gained articles in this run),
    write ``stories/<id>.json`` and ``.md``/``.html`` (``fmt``), ``index.json`` and
    ``index.md``/``index.html``; return the index dict.

    Briefs run on the Dask cluster when ``scheduler``/``workers`` is given, else in ``jobs``
    processes (default: the number of CPUs). Raises :class:`NoUsableCorpus` (nothing written)
    when no article could be read."""
    import sys

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    if progress is None:
        progress = sys.stderr.isatty()
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    articles, warnings = read_corpus(corpus)
    if not articles:
        names = [str(c) for c in ([corpus] if isinstance(corpus, (str, os.PathLike)) else corpus)]
        raise NoUsableCorpus(f"no usable article in {', '.join(names) or 'the corpus'}", warnings)
    out = Path(out_dir)
    (out / "stories").mkdir(parents=True, exist_ok=True)
    state = load_state(state_path) if state_path and Path(state_path).exists() else new_state()
    with dask_client(scheduler, workers) as client:
        index = group_stories(articles, threshold=threshold, window_days=window_days, min_size=1,
                              state=state, client=client, progress=progress, decay_days=decay_days, online=online)
        by_id = {a.id: a for a in articles}
        big = [s for s in index.stories if s.size >= min_size]
        small = [s for s in index.stories if s.size < min_size]
        todo = [s for s in big if s.new_articles > 0 and any(x in by_id for x in s.articles)]
        updates = _update_tasks(todo, by_id, out, words, brief_options)  # read before the briefs are rewritten
        t = time.perf_counter()
        tasks = [([by_id[x] for x in s.articles if x in by_id], words, fmt, dict(brief_options or {})) for s in todo]
        with Progress(progress) as bar:
            results = _brief_all(tasks, client, jobs, bar.task("briefs", len(todo)))
            from newsbrief.update import story_update

            update_results = run_tasks(story_update, [args for _, args in updates], client,
                                       bar.task("updates", len(updates)))
        brief_seconds = time.perf_counter() - t
    files: dict[str, dict[str, Any]] = {}
    for s, res in zip(todo, results, strict=True):
        entry: dict[str, Any] = {}
        if "error" in res:
            entry["brief_error"] = res["error"]
            index.warnings.append(f"story {s.id}: no brief ({res['error']})")
        else:
            (out / "stories" / f"{s.id}.json").write_text(res["json"], encoding="utf-8")
            entry["json"] = f"stories/{s.id}.json"
            if fmt != "json":
                (out / "stories" / f"{s.id}.{fmt}").write_text(res[fmt], encoding="utf-8")
                entry["brief"] = f"stories/{s.id}.{fmt}"
            entry["brief_title"] = res["title"]
            missing = [x for x in s.articles if x not in by_id]
            if missing:
                entry["brief_note"] = (f"{len(missing)} earlier articles were not in this corpus "
                                       "and are not in the brief")
        files[s.id] = entry
    for (s, _), (js, md, lines, err) in zip(updates, update_results, strict=True):  # what changed since last time
        entry = files.setdefault(s.id, {})
        if err:
            entry["update_error"] = err
        else:
            (out / "stories" / f"{s.id}.update.json").write_text(js, encoding="utf-8")
            (out / "stories" / f"{s.id}.update.md").write_text(md, encoding="utf-8")
            entry.update(update_json=f"stories/{s.id}.update.json", update_markdown=f"stories/{s.id}.update.md",
                         what_changed=lines)
    if state_path:
        state.save(state_path)
    stories_out = []
    for s in big:
        d = s.to_dict()
        d.update(files.get(s.id, {}))
        if s.id not in files:  # unchanged since an earlier run: its brief files are still there
            if (out / "stories" / f"{s.id}.json").exists():
                d["json"] = f"stories/{s.id}.json"
            if fmt != "json" and (out / "stories" / f"{s.id}.{fmt}").exists():
                d["brief"] = f"stories/{s.id}.{fmt}"
        stories_out.append(d)
    all_warnings = warnings + index.warnings
    status = {k: sum(1 for s in big if s.status == k) for k in ("new", "updated", "unchanged")}
    result = {
        "corpus": [str(c) for c in ([corpus] if isinstance(corpus, (str, os.PathLike)) else corpus)],
        "settings": {**index.settings, "min_size": min_size, "words": words, "format": fmt,
                     "scheduler": scheduler, "workers": workers, "jobs": jobs,
                     "state": str(state_path) if state_path else None},
        "counts": {
            "articles_read": len(articles),
            "articles_grouped": index.stats.get("new_articles", 0),
            "articles_in_state": len(index.assignments),
            "stories": len(big),
            "stories_new": status["new"],
            "stories_updated": status["updated"],
            "stories_reopened": sum(1 for s in big if s.reopened),
            "stories_unchanged": status["unchanged"],
            "briefs_written": sum(1 for e in files.values() if "json" in e),
            "smaller_stories": len(small),
            "articles_in_smaller_stories": sum(s.size for s in small),
            "near_duplicate_copies": len(index.duplicates),
            "warnings": len(all_warnings),
        },
        "stories": stories_out,
        "smaller_stories": [{"id": s.id, "title": s.title, "articles": s.articles} for s in small],
        "warnings": all_warnings,
        "stats": {**index.stats, "brief_seconds": round(brief_seconds, 3)},
    }
    (out / "index.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    if fmt == "md":
        (out / "index.md").write_text(index_markdown(result), encoding="utf-8")
    elif fmt == "html":
        (out / "index.html").write_text(index_html(result), encoding="utf-8")
    return result


# ---------------------------------------------------------------------------------------------
# the index


def _dates(s: dict[str, Any]) -> str:
    first, last = s.get("first_date"), s.get("last_date")
    if not first:
        return "undated"
    return first if not last or last == first else f"{first} – {last}"


def _outlets(s: dict[str, Any], limit: int = 5) -> str:
    outlets = s.get("outlets") or {}
    names = s.get("sources") or []
    shown = [f"{o} ({outlets[o]})" if outlets.get(o, 1) > 1 else o for o in names[:limit]]
    return ", ".join(shown) + (f" +{len(names) - limit}" if len(names) > limit else "")


def _status(s: dict[str, Any]) -> str:
    st = s.get("status", "new")
    if st == "updated":
        return f"updated (+{s['new_articles']}{', reopened' if s.get('reopened') else ''})"
    return st


def _summary_line(r: dict[str, Any]) -> str:
    c = r["counts"]
    line = (f"{c['stories']} {'story' if c['stories'] == 1 else 'stories'} of at least {r['settings']['min_size']} "
            f"articles from {c['articles_read']} articles ({c['near_duplicate_copies']} near-duplicate copies; "
            f"{c['smaller_stories']} smaller stories not briefed)")
    if r["settings"].get("state"):
        line += (f"; since the last run: {c['stories_new']} new, {c['stories_updated']} updated "
                 f"({c['stories_reopened']} reopened), {c['stories_unchanged']} unchanged")
    return line + "."


def _md_cell(s: Any) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def index_markdown(r: dict[str, Any]) -> str:
    lines = ["# Stories", "", _summary_line(r), "",
             "| # | story | articles | outlets | dates | status | brief |", "|---|---|---|---|---|---|---|"]
    for n, s in enumerate(r["stories"], 1):
        link = " · ".join(f"[{k}]({s[k2]})" for k, k2 in (("brief", "brief"), ("json", "json"),
                                                           ("what changed", "update_markdown")) if s.get(k2))
        lines.append(f"| {n} | {_md_cell(s['title'] or s['id'])} | {s['article_count']} | {_md_cell(_outlets(s))} | "
                     f"{_dates(s)} | {_status(s)} | {_md_cell(link or s.get('brief_error', ''))} |")
    if r["warnings"]:
        lines += ["", f"## Warnings ({len(r['warnings'])})", ""] + [f"- {_md_cell(w)}" for w in r["warnings"]]
    return "\n".join(lines) + "\n"


def index_html(r: dict[str, Any]) -> str:
    e = html.escape
    rows = []
    for n, s in enumerate(r["stories"], 1):
        title = e(s["title"] or s["id"])
        if s.get("brief"):
            title = f'<a href="{e(s["brief"])}">{title}</a>'
        raw = f' <a class="raw" href="{e(s["json"])}">json</a>' if s.get("json") else ""
        if s.get("update_markdown"):
            raw += f' <a class="raw" href="{e(s["update_markdown"])}">what changed</a>'
        err = f' <span class="err">{e(s["brief_error"])}</span>' if s.get("brief_error") else ""
        rows.append(f"<tr><td>{n}</td><td>{title}{raw}{err}</td><td>{s['article_count']}</td>"
                    f"<td>{e(_outlets(s, 8))}</td><td>{e(_dates(s))}</td><td>{e(_status(s))}</td></tr>")
    warn = ""
    if r["warnings"]:
        warn = (f"<h2>Warnings ({len(r['warnings'])})</h2><ul>"
                + "".join(f"<li>{e(w)}</li>" for w in r["warnings"]) + "</ul>")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Stories</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #ddd; }}
th {{ background: #f4f4f4; }} a.raw {{ font-size: .8em; color: #777; }} .err {{ color: #a00; }}
</style></head><body>
<h1>Stories</h1>
<p>{e(_summary_line(r))}</p>
<table><thead><tr><th>#</th><th>story</th><th>articles</th><th>outlets</th><th>dates</th><th>status</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
{warn}
</body></html>
"""
