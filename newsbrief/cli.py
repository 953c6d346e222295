"""The `newsbrief` command: a thin shell over the Python API."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Many news articles about one story in, one cited brief out.",
)


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"newsbrief: error: {message}", err=True)
    raise typer.Exit(code)


def _warn(warnings: list[str]) -> None:
    for w in warnings:
        typer.echo(f"newsbrief: warning: {w}", err=True)


@app.command()
def brief(
    inputs: list[str] = typer.Argument(..., help="Files, directories, or - for stdin (txt, html, json, jsonl)."),
    words: int = typer.Option(150, "--words", "-w", min=1, help="Summary length budget in words."),
    format: str = typer.Option("md", "--format", "-f", help="md, json or html."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to FILE instead of stdout."),
    show_removed: bool = typer.Option(False, "--show-removed", help="List what the cleaner removed (md)."),
    analysis: bool = typer.Option(True, "--analysis/--no-analysis", help="Consensus, conflicts, quotes, timeline."),
) -> None:
    """Brief a set of articles about one story."""
    from newsbrief.pipeline import NoUsableInput, brief as run_brief

    if format not in ("md", "json", "html"):
        _fail(f"unknown format {format!r} (use md, json or html)", 2)
    try:
        result = run_brief(inputs, words=words, analysis=analysis)
    except NoUsableInput as e:
        _fail(str(e))
    _warn(result.warnings)
    text = {
        "md": lambda: result.to_markdown(show_removed=show_removed),
        "json": lambda: result.to_json() + "\n",
        "html": result.to_html,
    }[format]()
    if output:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as e:
            _fail(f"cannot write {output}: {e.strerror}")
    else:
        sys.stdout.write(text)


@app.command("eval")
def evaluate(
    data: Path = typer.Argument(..., help="Benchmark JSONL: one cluster per line with documents and summaries."),
    words: int = typer.Option(100, "--words", "-w", min=1, help="Cut summaries to this many words."),
    recall: bool = typer.Option(False, "--recall", help="Report recall (DUC/TAC) instead of F1."),
    save: Optional[Path] = typer.Option(None, "--save", help="Write {id, summary} JSONL of newsbrief's output."),
    baselines: str = typer.Option("", "--baselines", help="Comma list of lead,lexrank,textrank to score too."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Only the first N clusters."),
) -> None:
    """Score newsbrief (and baselines) with ROUGE on a benchmark file."""
    from newsbrief.evaluate import run_eval

    if not data.is_file():
        _fail(f"{data}: no such file")
    names = [b.strip() for b in baselines.split(",") if b.strip()]
    unknown = set(names) - {"lead", "lexrank", "textrank"}
    if unknown:
        _fail(f"unknown baseline(s): {', '.join(sorted(unknown))}", 2)
    run_eval(data, words=words, recall=recall, save=save, baselines=names, limit=limit)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to bind (default: loopback only)."),
    port: int = typer.Option(8000, help="Port."),
    data_dir: Optional[Path] = typer.Option(None, "--data-dir", help="Where the SQLite database lives."),
    max_articles: Optional[int] = typer.Option(None, "--max-articles", help="Most articles in one brief."),
    max_article_chars: Optional[int] = typer.Option(None, "--max-article-chars", help="Longest article."),
    max_body_bytes: Optional[int] = typer.Option(None, "--max-body-bytes", help="Largest request body."),
    time_limit: Optional[float] = typer.Option(None, "--time-limit", help="Seconds of work per brief."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Briefs computed at once."),
) -> None:
    """Start the HTTP API and the web page (limits default to NEWSBRIEF_* variables, then built-ins)."""
    from newsbrief.server import run

    run(host=host, port=port, data_dir=data_dir, max_articles=max_articles, max_article_chars=max_article_chars,
        max_body_bytes=max_body_bytes, time_limit=time_limit, workers=workers)


@app.command()
def stories(
    corpus: list[str] = typer.Argument(..., help="Directory, JSONL of articles, or benchmark JSONL."),
    out: Path = typer.Option(..., "--out", help="Directory for the story briefs and the index."),
    format: str = typer.Option("md", "--format", "-f", help="Briefs and index as md, html or json (json is always "
                               "written too)."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="Similarity needed to join a story."),
    window_days: Optional[int] = typer.Option(None, "--window-days", help="Articles further apart are never linked "
                                              "directly."),
    decay_days: Optional[float] = typer.Option(None, "--decay-days", help="Time scale of a story: the similarity "
                                               "needed grows by e for each this many days between two groups."),
    online: bool = typer.Option(False, "--online", help="The corpus is a stream in time order: take it one day at a "
                                "time; earlier stories are never regrouped."),
    min_size: Optional[int] = typer.Option(None, "--min-size", help="Smallest story to brief."),
    state: Optional[Path] = typer.Option(None, "--state", help="Keep grouping state here between runs."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Start a local Dask cluster of N workers."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Briefs made at once (default: CPUs)."),
    words: int = typer.Option(150, "--words", "-w", min=1, help="Words per story brief."),
) -> None:
    """Group a stream of articles into stories and brief each one."""
    from newsbrief import stories as st

    if format not in ("md", "json", "html"):
        _fail(f"unknown format {format!r} (use md, json or html)", 2)
    options: dict = {
        "threshold": threshold,
        "window_days": window_days,
        "decay_days": decay_days,
        "min_size": min_size,
        "state_path": state,
        "scheduler": scheduler,
        "workers": workers,
        "jobs": jobs,
        "words": words,
    }
    try:
        result = st.run_stories(corpus, out, fmt=format, online=online,
                                **{k: v for k, v in options.items() if v is not None})
    except st.NoUsableCorpus as e:
        _warn_some(e.warnings, "")
        _fail(str(e))
    _warn_some(result["warnings"], f" (all in {out / 'index.json'})")
    c = result["counts"]
    line = (f"{c['stories']} {'story' if c['stories'] == 1 else 'stories'} from {c['articles_read']} articles, "
            f"{c['briefs_written']} briefs written")
    if state:
        line += (f"; {c['stories_new']} new, {c['stories_updated']} updated ({c['stories_reopened']} reopened), "
                 f"{c['stories_unchanged']} unchanged")
    typer.echo(f"{line}: {out / ('index.' + format)}")


_MAX_WARNINGS = 20


def _warn_some(warnings: list[str], where: str) -> None:
    """One line per warning on stderr; past _MAX_WARNINGS, one line saying how many more."""
    _warn(warnings[:_MAX_WARNINGS])
    if len(warnings) > _MAX_WARNINGS:
        typer.echo(f"newsbrief: warning: ... and {len(warnings) - _MAX_WARNINGS} more{where}", err=True)


@app.command()
def setup() -> None:
    """Build the local embedding model files once (needs the 'export' extra: torch, transformers, onnx)."""
    from newsbrief.embed import ModelUnavailable, quantize

    try:
        typer.echo(str(quantize()))
    except ModelUnavailable as e:
        _fail(str(e))


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("newsbrief: interrupted", err=True)
        sys.exit(130)
    except Exception as e:  # one line for the user, never a traceback
        typer.echo(f"newsbrief: error: {type(e).__name__}: {e}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
