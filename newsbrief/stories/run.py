"""The ``newsbrief stories`` command: read a corpus, group it, brief every story, write the index."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsbrief.model import Article
from newsbrief.stories.distributed import Progress, dask_client, run_tasks
from newsbrief.stories.grouping import DEFAULT_THRESHOLD, DEFAULT_WINDOW_DAYS, group_stories
from newsbrief.stories.state import load_state, new_state

DEFAULT_MIN_SIZE = 2  # stories with fewer articles are grouped and listed, but not briefed
DEFAULT_BRIEF_WORDS = 150


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


def _brief_task(articles: list[Article], words: int, options: dict[str, Any]) -> tuple[str, str, str, str]:
    """(json, markdown, title, error) of one story's brief; an error never stops the others."""
    try:
        import newsbrief

        b = newsbrief.brief(articles, words=words, **options)
        return b.to_json(), b.to_markdown(), b.title, ""
    except Exception as e:  # noqa: BLE001
        return "", "", "", f"{type(e).__name__}: {e}"


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


def _md_cell(s: Any) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


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
) -> dict[str, Any]:
    """``newsbrief stories CORPUS --out DIR``: group the corpus, brief every story of at least
    ``min_size`` articles (with ``--state``: every such story that gained articles in this run),
    write ``stories/<id>.json|.md``, ``index.json`` and ``index.md``; return the index dict.

    Raises :class:`NoUsableCorpus` (nothing written) when no article could be read."""
    import sys

    if progress is None:
        progress = sys.stderr.isatty()
    articles, warnings = read_corpus(corpus)
    if not articles:
        names = [str(c) for c in ([corpus] if isinstance(corpus, (str, os.PathLike)) else corpus)]
        raise NoUsableCorpus(f"no usable article in {', '.join(names) or 'the corpus'}", warnings)
    out = Path(out_dir)
    (out / "stories").mkdir(parents=True, exist_ok=True)
    state = load_state(state_path) if state_path and Path(state_path).exists() else new_state()
    with dask_client(scheduler, workers) as client:
        index = group_stories(articles, threshold=threshold, window_days=window_days, min_size=1,
                              state=state, client=client, progress=progress)
        by_id = {a.id: a for a in articles}
        big = [s for s in index.stories if s.size >= min_size]
        small = [s for s in index.stories if s.size < min_size]
        todo = [s for s in big if s.new_articles > 0 and any(x in by_id for x in s.articles)]
        updates = _update_tasks(todo, by_id, out, words, brief_options)  # read before the briefs are rewritten
        t = time.perf_counter()
        with Progress(progress) as bar:
            results = run_tasks(
                _brief_task,
                [([by_id[x] for x in s.articles if x in by_id], words, dict(brief_options or {})) for s in todo],
                client,
                bar.task("briefs", len(todo)),
            )
            from newsbrief.update import story_update

            update_results = run_tasks(story_update, [args for _, args in updates], client,
                                       bar.task("updates", len(updates)))
        brief_seconds = time.perf_counter() - t
    files: dict[str, dict[str, Any]] = {}
    for s, (js, md, title, err) in zip(todo, results, strict=True):
        entry: dict[str, Any] = {}
        if err:
            entry["brief_error"] = err
            index.warnings.append(f"story {s.id}: no brief ({err})")
        else:
            (out / "stories" / f"{s.id}.json").write_text(js, encoding="utf-8")
            (out / "stories" / f"{s.id}.md").write_text(md, encoding="utf-8")
            entry.update(json=f"stories/{s.id}.json", markdown=f"stories/{s.id}.md", brief_title=title)
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
        if s.id not in files and (out / "stories" / f"{s.id}.json").exists():
            d.update(json=f"stories/{s.id}.json", markdown=f"stories/{s.id}.md")
        stories_out.append(d)
    all_warnings = warnings + index.warnings
    result = {
        "corpus": [str(c) for c in ([corpus] if isinstance(corpus, (str, os.PathLike)) else corpus)],
        "settings": {**index.settings, "min_size": min_size, "words": words,
                     "scheduler": scheduler, "workers": workers, "state": str(state_path) if state_path else None},
        "counts": {
            "articles_read": len(articles),
            "articles_grouped": index.stats.get("new_articles", 0),
            "articles_in_state": len(index.assignments),
            "stories": len(big),
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
    (out / "index.md").write_text(_index_markdown(result), encoding="utf-8")
    return result


def _index_markdown(r: dict[str, Any]) -> str:
    c = r["counts"]
    lines = [
        "# Stories",
        "",
        (f"{c['stories']} {'story' if c['stories'] == 1 else 'stories'} of at least {r['settings']['min_size']} "
         f"articles from {c['articles_read']} articles "
        f"({c['near_duplicate_copies']} near-duplicate copies; {c['smaller_stories']} smaller stories not briefed)."),
        "",
        "| # | story | articles | sources | dates | brief |",
        "|---|---|---|---|---|---|",
    ]
    for n, s in enumerate(r["stories"], 1):
        dates = s["first_date"] or "undated"
        if s["last_date"] and s["last_date"] != s["first_date"]:
            dates += f" – {s['last_date']}"
        sources = ", ".join(s["sources"][:5]) + (f" +{len(s['sources']) - 5}" if len(s["sources"]) > 5 else "")
        link = f"[md]({s['markdown']}) · [json]({s['json']})" if s.get("markdown") else s.get("brief_error", "")
        if s.get("update_markdown"):
            link += f" · [what changed]({s['update_markdown']})"
        lines.append(f"| {n} | {_md_cell(s['title'] or s['id'])} | {s['article_count']} | {_md_cell(sources)} | "
                     f"{dates} | {_md_cell(link)} |")
    if r["warnings"]:
        lines += ["", f"## Warnings ({len(r['warnings'])})", ""] + [f"- {_md_cell(w)}" for w in r["warnings"]]
    return "\n".join(lines) + "\n"
