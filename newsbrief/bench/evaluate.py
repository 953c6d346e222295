"""ROUGE protocol and benchmark harness (the protocol of shared/data/README.md).

The protocol, in one place so that every number in the project compares:

* ``rouge-score`` (Google's re-implementation of ROUGE-1.5.5), ``use_stemmer=True``, its default
  tokenizer (here wrapped in a cache that returns exactly the same tokens, only faster);
* the SYSTEM summary (never a reference) is cut to its first N whitespace-separated words;
* one sentence per line in both system and references for ROUGE-Lsum: references and string
  summaries are split with :func:`newsbrief.segment.split_sentences`; a summary given as a list
  of sentences keeps its own sentence boundaries (and is cut by words across them);
* each summary is scored against every reference separately; the mean over references is the
  cluster's score and the mean over clusters the system's score;
* recall (DUC/TAC, 100 words) or F1 (Multi-News, MultiLing, 260 words), reported x100.

Public API: :func:`score_summary`, :func:`evaluate`, :func:`run_eval`, :func:`score_system_file`,
plus the helpers :func:`load_jsonl`, :func:`cut_words`, :func:`system_text`, :func:`reference_text`,
:func:`print_table`, :func:`markdown_table`, :func:`newsbrief_system`.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from newsbrief.segment import split_sentences

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")
KEYS = {"rouge1": "r1", "rouge2": "r2", "rougeLsum": "rlsum"}
MEASURES = ("recall", "f1")
_WS = re.compile(r"\s+")

System = Callable[[dict], Sequence[str]]

# ---------------------------------------------------------------------------------------------
# scorer


def _make_tokenizer():
    from rouge_score import tokenizers

    class CachedTokenizer(tokenizers.DefaultTokenizer):
        """rouge-score's DefaultTokenizer(use_stemmer=True) with memoised stems and texts.

        Same tokens as the default tokenizer (a test checks it); references are tokenized
        once per reference instead of once per (system, reference) pair.
        """

        _MAX = 200_000

        def __init__(self) -> None:
            super().__init__(use_stemmer=True)
            stem = self._stemmer.stem  # type: ignore[has-type]
            stems: dict[str, str] = {}

            class _Stemmer:
                @staticmethod
                def stem(word: str) -> str:
                    s = stems.get(word)
                    if s is None:
                        if len(stems) > self._MAX:
                            stems.clear()
                        s = stems[word] = stem(word)
                    return s

            self._stemmer = _Stemmer()
            self._texts: dict[str, list[str]] = {}

        def tokenize(self, text: str) -> list[str]:
            toks = self._texts.get(text)
            if toks is None:
                if len(self._texts) > self._MAX:
                    self._texts.clear()
                toks = self._texts[text] = super().tokenize(text)
            return list(toks)

    return CachedTokenizer()


_SCORER = None


def get_scorer():
    """The one cached ``RougeScorer`` (rouge1, rouge2, rougeLsum; Porter stemmer)."""
    global _SCORER
    if _SCORER is None:
        from rouge_score import rouge_scorer

        _SCORER = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True, tokenizer=_make_tokenizer())
    return _SCORER


# ---------------------------------------------------------------------------------------------
# text preparation


def _one_line(sentence: str) -> str:
    return _WS.sub(" ", sentence).strip()


def cut_words(sentences: Sequence[str], words: int | None) -> list[str]:
    """The first `words` whitespace-separated words of `sentences`, sentence boundaries kept.

    Each sentence comes back on one line (inner whitespace collapsed); empty ones are dropped.
    `words=None` (or <= 0) means no cut.
    """
    out: list[str] = []
    left = words if words and words > 0 else None
    for s in sentences:
        toks = s.split()
        if not toks:
            continue
        if left is not None:
            if left <= 0:
                break
            toks = toks[:left]
            left -= len(toks)
        out.append(" ".join(toks))
    return out


def _sentences(text: str) -> list[str]:
    sents = [s for s in split_sentences(text) if s.strip()]
    if not sents and text.strip():
        sents = [text]
    return sents


def system_text(summary: Sequence[str] | str, words: int | None) -> str:
    """The system summary as scored: cut to `words` words, one sentence per line."""
    sents = _sentences(summary) if isinstance(summary, str) else list(summary)
    return "\n".join(cut_words(sents, words))


def reference_text(reference: str) -> str:
    """A reference as scored: never cut, one sentence per line."""
    return "\n".join(_one_line(s) for s in _sentences(reference) if s.strip())


def _check_measure(measure: str) -> str:
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}, not {measure!r}")
    return measure


def _score_prepared(system: str, references: Sequence[str], measure: str) -> dict[str, float]:
    if not references:
        raise ValueError("no references to score against")
    scorer = get_scorer()
    totals = {k: 0.0 for k in KEYS.values()}
    for ref in references:
        scores = scorer.score(ref, system)  # target first, prediction second
        for rt, key in KEYS.items():
            sc = scores[rt]
            totals[key] += sc.recall if measure == "recall" else sc.fmeasure
    n = len(references)
    return {k: 100.0 * v / n for k, v in totals.items()}


def score_summary(
    summary: Sequence[str] | str, references: Sequence[str], words: int, measure: str = "recall"
) -> dict[str, float]:
    """ROUGE-1/2/Lsum of one summary, mean over `references`, x100: ``{"r1", "r2", "rlsum"}``.

    `summary`: a string (split into sentences here) or a list of sentences (boundaries kept).
    Only the summary is cut to `words` words; each reference is scored separately.
    """
    _check_measure(measure)
    if isinstance(references, str):
        references = [references]
    if not references:
        raise ValueError("no references")
    refs = [reference_text(r) for r in references]
    return _score_prepared(system_text(summary, words), refs, measure)


def _mean(dicts: Sequence[dict[str, float]]) -> dict[str, float]:
    if not dicts:
        return {k: float("nan") for k in KEYS.values()}
    return {k: sum(d[k] for d in dicts) / len(dicts) for k in KEYS.values()}


# ---------------------------------------------------------------------------------------------
# data


def load_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class BenchmarkError(ValueError):
    """A benchmark file that cannot be scored; the message names the file and the line."""


def load_benchmark(path: str | Path) -> list[dict]:
    """The cluster rows of a benchmark JSONL file, each checked: a JSON object with a ``documents`` list of
    texts and a non-empty ``summaries`` list of texts. A bad row, or a file without rows, is a
    BenchmarkError naming ``path:line`` (a score over silently dropped clusters would not compare)."""
    rows = []
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            where = f"{path}:{n}"
            try:
                row = json.loads(raw.rstrip(b"\r\n").decode("utf-8"))
            except UnicodeDecodeError as e:
                byte = f"byte 0x{raw[e.start]:02x} at column {e.start + 1}"
                raise BenchmarkError(f"{where}: not UTF-8 ({byte})") from None
            except json.JSONDecodeError as e:
                raise BenchmarkError(f"{where}: invalid JSON ({e.msg}, column {e.colno})") from None
            except RecursionError:
                raise BenchmarkError(f"{where}: invalid JSON (nested too deeply)") from None
            except ValueError as e:  # a number too long to convert
                raise BenchmarkError(f"{where}: invalid JSON ({e})") from None
            problem = _row_problem(row)
            if problem:
                raise BenchmarkError(f"{where}: {problem}")
            rows.append(row)
    if not rows:
        raise BenchmarkError(f"{path}: no clusters (an empty file)")
    return rows


def _row_problem(row: Any) -> str:
    if not isinstance(row, dict):
        kind = "a list" if isinstance(row, list) else "a string" if isinstance(row, str) else "null" if row is None \
            else "a boolean" if isinstance(row, bool) else "a number"
        return f"not a cluster object ({kind})"
    docs, refs = row.get("documents"), row.get("summaries")
    if not isinstance(docs, list):
        return "no 'documents' list"
    if not isinstance(refs, list) or not any(isinstance(r, str) and r.strip() for r in refs):
        return "no reference 'summaries' (a list of texts)"
    for what, items in (("document", docs), ("summary", refs)):
        bad = next((i for i, d in enumerate(items, 1) if not isinstance(d, str)), None)
        if bad is not None:
            return f"{what} {bad} is not a text"
    return ""


# ---------------------------------------------------------------------------------------------
# harness


def _progress(enabled: bool):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not (enabled and console.is_terminal),
    )


def evaluate(
    rows: Sequence[dict],
    systems: dict[str, System],
    words: int,
    measure: str = "recall",
    progress: bool = True,
    warmup: bool = False,
) -> dict[str, Any]:
    """Run every system on every cluster and score it.

    `rows`: clusters ``{"id", "documents", "summaries", ...}``; `systems`: name -> callable(row)
    returning the summary (list of sentences, or a string). Only the system call is timed;
    `warmup=True` first runs each system once on the first cluster, untimed, so that one-time
    loading (models, caches) is not charged to the first cluster.

    Returns ``{"words", "measure", "clusters", "systems": {name: {"r1", "r2", "rlsum",
    "seconds" (mean per cluster), "empty" (clusters with an empty summary, scored 0),
    "per_cluster": [{"id", "summary", "r1", "r2", "rlsum", "seconds"}, ...]}}}``.
    """
    _check_measure(measure)
    rows = list(rows)
    refs = [[reference_text(r) for r in row["summaries"]] for row in rows]
    out: dict[str, Any] = {"words": words, "measure": measure, "clusters": len(rows), "systems": {}}
    with _progress(progress) as bar:
        task = bar.add_task("evaluating", total=len(rows) * len(systems))
        for name, fn in systems.items():
            per: list[dict[str, Any]] = []
            if warmup and rows:
                bar.update(task, description=f"{name} warm-up")
                fn(rows[0])
            for i, row in enumerate(rows):
                bar.update(task, description=f"{name} {i + 1}/{len(rows)}")
                t0 = time.perf_counter()
                try:
                    summary = fn(row)
                except Exception as e:
                    raise RuntimeError(f"system {name!r} failed on cluster {row.get('id', i)!r}: {e}") from e
                dt = time.perf_counter() - t0
                if isinstance(summary, str):
                    summary_list = _sentences(summary)
                else:
                    summary_list = [str(s) for s in summary]
                scores = _score_prepared(system_text(summary_list, words), refs[i], measure)
                per.append({"id": row.get("id", str(i)), "summary": summary_list, **scores, "seconds": dt})
                bar.advance(task)
            out["systems"][name] = _aggregate(per)
    return out


def _aggregate(per: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        **_mean(per),
        "seconds": sum(p["seconds"] for p in per) / max(len(per), 1),
        "empty": sum(1 for p in per if not p["summary"]),  # clusters given an empty summary
        "per_cluster": per,
    }


def subset_results(results: dict[str, Any], ids: Iterable[str]) -> dict[str, Any]:
    """The same results restricted to the clusters whose id is in `ids` (no re-running)."""
    keep = set(ids)
    out = {k: v for k, v in results.items() if k != "systems"}
    out["systems"] = {}
    n = 0
    for name, res in results["systems"].items():
        per = [p for p in res["per_cluster"] if p["id"] in keep]
        n = len(per)
        out["systems"][name] = _aggregate(per)
    out["clusters"] = n
    return out


def newsbrief_system(words: int) -> System:
    """The product as a benchmark system: the brief's summary sentences for a cluster row."""
    from newsbrief.pipeline import NoUsableInput, brief_articles
    from newsbrief.readers import articles_from_documents

    def run(row: dict) -> list[str]:
        articles = articles_from_documents(row["documents"])
        try:
            return [s.text for s in brief_articles(articles, words=words).summary]
        except NoUsableInput:
            # nothing left after cleaning (e.g. every page an archive notice): an empty summary,
            # scored 0 like a baseline that gets no sentences; counted as "empty" in the results
            return []

    return run


def _fmt_seconds(s: float) -> str:
    return f"{s:.3f}" if s < 1 else f"{s:.2f}"


def print_table(results: dict[str, Any], title: str | None = None, console=None) -> None:
    """R-1 / R-2 / R-Lsum and seconds per cluster of every system, side by side (rich)."""
    from rich.console import Console
    from rich.table import Table

    measure = "recall" if results["measure"] == "recall" else "F1"
    table = Table(
        title=title,
        caption=f"ROUGE {measure} x100, summaries cut to {results['words']} words, {results['clusters']} clusters",
    )
    table.add_column("system")
    for col in ("R-1", "R-2", "R-Lsum", "s/cluster"):
        table.add_column(col, justify="right")
    for name, r in results["systems"].items():
        table.add_row(name, f"{r['r1']:.2f}", f"{r['r2']:.2f}", f"{r['rlsum']:.2f}", _fmt_seconds(r["seconds"]))
    empty = _empty_note(results)
    if empty:
        table.caption = f"{table.caption or ''}; {empty}"
    (console or Console()).print(table)


def _empty_note(results: dict[str, Any]) -> str:
    parts = [f"{name} {r['empty']}" for name, r in results["systems"].items() if r.get("empty")]
    return "empty summaries (scored 0): " + ", ".join(parts) if parts else ""


def markdown_table(results: dict[str, Any]) -> str:
    """The same table as Markdown (for BENCHMARKS.md)."""
    lines = ["| system | R-1 | R-2 | R-Lsum | s/cluster |", "|---|---:|---:|---:|---:|"]
    for name, r in results["systems"].items():
        lines.append(
            f"| {name} | {r['r1']:.2f} | {r['r2']:.2f} | {r['rlsum']:.2f} | {_fmt_seconds(r['seconds'])} |"
        )
    empty = _empty_note(results)
    if empty:
        lines += ["", f"_{empty[0].upper()}{empty[1:]}._"]
    return "\n".join(lines)


def save_summaries(results: dict[str, Any], system: str, path: str | Path) -> None:
    """Write ``{"id", "summary"}`` JSONL (summary: list of sentences) for one system."""
    with open(path, "w", encoding="utf-8") as f:
        for p in results["systems"][system]["per_cluster"]:
            f.write(json.dumps({"id": p["id"], "summary": p["summary"]}, ensure_ascii=False) + "\n")


def run_eval(
    path: str | Path,
    words: int,
    recall: bool = False,
    save: str | Path | None = None,
    baselines: Sequence[str] | str = (),
    system: System | None | bool = None,
    progress: bool = True,
    console=None,
    limit: int | None = None,
    warmup: bool = False,
    focus: bool = False,
) -> dict[str, Any]:
    """``newsbrief eval DATA.jsonl --words N [--recall] [--save OUT.jsonl] [--baselines ...]``.

    `focus`: newsbrief runs in the mode each row asks for (newsbrief.bench.focus): update rows (B, C) since
    their earlier sets, rows with a `query` answering it; the update sets are also scored one by one.

    Scores newsbrief (or `system`, a callable(row) -> sentences, if given; ``system=False``
    leaves newsbrief out) and the named baselines on `path`, prints the table and returns the
    results of :func:`evaluate`. `save` writes the newsbrief summaries as JSONL; `limit` keeps
    the first N clusters; `warmup` see :func:`evaluate`.
    """
    from newsbrief.bench.baselines import make_baseline

    if isinstance(baselines, str):
        baselines = [b for b in baselines.split(",") if b.strip()]
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    rows = load_benchmark(path)[:limit]
    systems: dict[str, System] = {}
    if system is None and focus and any(r.get("update_set") or r.get("query") for r in rows):
        from newsbrief.bench.focus import focus_system

        systems["newsbrief"] = focus_system(words, rows)
    elif system is None:
        systems["newsbrief"] = newsbrief_system(words)
    elif callable(system):
        systems["newsbrief"] = system
    for b in baselines:
        systems[b.strip()] = make_baseline(b.strip(), words)
    if not systems:
        raise ValueError("nothing to evaluate")
    measure = "recall" if recall else "f1"
    results = evaluate(rows, systems, words, measure, progress=progress, warmup=warmup)
    print_table(results, title=Path(path).name, console=console)
    sets = sorted({str(r["update_set"]) for r in rows if r.get("update_set")})
    if len(sets) > 1:
        for s in sets:
            ids = [r["id"] for r in rows if str(r.get("update_set")) == s]
            label = "first set" if s == sets[0] else "given " + " + ".join(sets[: sets.index(s)])
            print_table(subset_results(results, ids), title=f"{Path(path).name}: set {s} ({label})", console=console)
    if save is not None:
        if "newsbrief" not in results["systems"]:
            raise ValueError("--save needs the newsbrief system")
        save_summaries(results, "newsbrief", save)
    return results


def score_system_file(
    summaries_path: str | Path,
    benchmark_path: str | Path,
    words: int = 100,
    measure: str = "recall",
) -> dict[str, dict[str, float]]:
    """Score a file of ``{"id", "system", "summary"}`` rows (e.g. SumRepo's DUC 2004 outputs)
    against the references of a benchmark file. Returns ``{system: {"r1", "r2", "rlsum",
    "clusters"}}``; clusters without a summary for a system are not counted for it.
    """
    _check_measure(measure)
    refs = {row["id"]: [reference_text(r) for r in row["summaries"]] for row in load_jsonl(benchmark_path)}
    per_system: dict[str, list[dict[str, float]]] = {}
    for row in load_jsonl(summaries_path):
        if row["id"] not in refs:
            raise KeyError(f"cluster {row['id']!r} is not in {benchmark_path}")
        scores = _score_prepared(system_text(row["summary"], words), refs[row["id"]], measure)
        per_system.setdefault(row.get("system", "system"), []).append(scores)
    return {name: {**_mean(lst), "clusters": len(lst)} for name, lst in per_system.items()}


if __name__ == "__main__":  # python -m newsbrief.bench.evaluate SUMMARIES.jsonl BENCHMARK.jsonl [WORDS]
    res = score_system_file(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 100)
    for name, r in sorted(res.items(), key=lambda kv: kv[1]["r2"]):
        print(f"{name:12s} {r['r1']:6.2f} {r['r2']:6.2f}  ({r['clusters']} clusters)")
