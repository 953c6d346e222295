"""Stand-in brief functions for the web tests, and the hostile payloads of the browser tests.

They live in their own light module (only `newsbrief.model` is imported) because the server runs
briefs in worker processes, which import the brief function by name.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from newsbrief.model import (
    Analysis,
    Article,
    Brief,
    Conflict,
    ConflictSide,
    Quote,
    Removal,
    Span,
    SummarySentence,
    TimelineEntry,
)


def fake_brief(inputs, words=150, **_):
    """A stand-in pipeline: each input becomes an article; its first line is the summary."""
    articles = []
    for i, item in enumerate(inputs):
        if isinstance(item, dict):
            a = Article(
                id=item.get("id") or f"a{i + 1}",
                raw=item["text"],
                title=item.get("title", ""),
                source=item.get("source", ""),
                url=item.get("url", ""),
                date=item.get("date"),
                text=item["text"].strip(),
            )
        else:
            p = Path(item)
            raw = p.read_text(encoding="utf-8")
            a = Article(id=p.stem, raw=raw, title=p.name, path=str(p), text=raw.strip())
        if not a.text:
            raise ValueError(f"input {i + 1} has no text")
        a.removed = [Removal(text="Advertisement", reason="boilerplate", line=1)]
        articles.append(a)
    summary = []
    for a in articles:
        first = a.text.split("\n")[0]
        summary.append(SummarySentence(text=first, sources=[a.id], support=1, spans=[Span(a.id, 0, len(first), first)]))
    return Brief(
        articles=articles,
        summary=summary,
        words=words,
        title=articles[0].title,
        warnings=[f"read {len(articles)} inputs"],
        analysis=Analysis(quotes=[Quote(kind="direct", text="a quote", speaker="A. Speaker", speaker_role=None,
                                        speaker_resolved=False, sources=[articles[0].id], citations=[],
                                        attributions=[])]),
    )


def focus_brief(inputs, words=150, since=None, query=None, **_):
    """fake_brief that reports, in its warnings, the `since` and `query` it was given: "since: " and, per
    item, "brief:<id>" (a saved brief's dict), "article:<title>" (an earlier article dict) or "file:<name>"."""
    b = fake_brief(inputs, words)
    if since is not None:
        kinds = []
        for item in since:
            if isinstance(item, dict) and "summary" in item:
                kinds.append(f"brief:{item.get('id')}")
            elif isinstance(item, dict):
                kinds.append(f"article:{item.get('title', '')}")
            else:
                kinds.append(f"file:{Path(item).name}")
        b.warnings.append("since: " + ", ".join(kinds))
    if query is not None:
        b.query, b.answered = query, True
        b.warnings.append(f"query: {query}")
    return b


def plain_brief(inputs, words=150, **_):
    b = fake_brief(inputs, words)
    b.analysis = Analysis()  # no analysis sections; see the real-pipeline test for them
    return b


def refuse_brief(inputs, words=150, **_):
    raise ValueError("no usable article text")


def controlled_brief(inputs, words=150, **_):
    """fake_brief, run in a worker process, steered by the first article's text:
    "SLEEP <seconds> <dir>" writes <dir>/<pid>.started, sleeps, then writes <dir>/<pid>.finished;
    "CRASH" ends the worker process at once."""
    text = inputs[0].get("text", "") if inputs and isinstance(inputs[0], dict) else ""
    if text == "CRASH":
        os._exit(3)
    if text.startswith("SLEEP "):
        _, seconds, where = text.split(" ", 2)
        (Path(where) / f"{os.getpid()}.started").write_text("")
        time.sleep(float(seconds))
        (Path(where) / f"{os.getpid()}.finished").write_text("")
    return fake_brief(inputs, words)


def tiny_brief(inputs, words=150, **_):
    arts = [Article(id=f"a{i}", raw=d["text"], title=d.get("title", ""), text=d["text"]) for i, d in enumerate(inputs)]
    summary = [SummarySentence(text=a.text, sources=[a.id], support=1, spans=[Span(a.id, 0, len(a.text))]) for a in arts]
    return Brief(articles=arts, summary=summary, words=words, title=arts[0].title)


XSS_SCRIPT = "<script>window.__pwned=1</script>"
XSS_IMG = '<img src=x onerror="window.__pwned=1">'
XSS_LINK = '<a href="javascript:window.__pwned=1">x</a>'
HOSTILE = [
    {
        "title": "Title " + XSS_IMG,
        "source": XSS_SCRIPT,
        "url": "javascript:window.__pwned=1",
        "text": f"The envoy said {XSS_SCRIPT} twice.\n\nThen {XSS_IMG} appeared in the text.",
    },
    {
        "title": XSS_LINK,
        "source": "Wire",
        "date": "2007-05-28",
        "url": "https://example.org/story",
        "text": f"Officials met in Baghdad. A link {XSS_LINK} followed the meeting.",
    },
]


def passthrough_brief(inputs, words=150, **_):
    """Echo the articles untouched (so hostile markup reaches the page verbatim) with spans, removals,
    warnings and analysis sections all carrying the payloads too."""
    arts = []
    for i, d in enumerate(inputs):
        arts.append(
            Article(
                id=f"x{i + 1}",
                raw=d["text"],
                title=d.get("title", ""),
                source=d.get("source", ""),
                url=d.get("url", ""),
                date=d.get("date"),
                text=d["text"],
                removed=[Removal(text=f"removed {XSS_SCRIPT} {XSS_IMG}", reason=XSS_LINK, line=2)],
            )
        )
    def first_sentence_end(text):
        return re.search(r"\.(\s|$)", text).start() + 1

    ids = [a.id for a in arts]
    first = Span(arts[0].id, 0, 5, arts[0].text[:5])
    summary = []
    for a in arts:
        summary.append(
            SummarySentence(text=a.text[: first_sentence_end(a.text)], sources=[x.id for x in arts],
                            support=len(arts), spans=[Span(x.id, 0, first_sentence_end(x.text)) for x in arts])
        )
    return Brief(
        articles=arts,
        summary=summary,
        words=words,
        title="Brief " + XSS_SCRIPT,
        warnings=[f"warning {XSS_IMG}"],
        analysis=Analysis(
            conflicts=[Conflict(type="value", kind=XSS_LINK, attribute=f"conflict {XSS_IMG}", sources=ids,
                                sides=[ConflictSide(display=XSS_SCRIPT, label=XSS_IMG, sources=ids, citations=[first],
                                                    sentences=[first])])],
            quotes=[Quote(kind="direct", text=XSS_SCRIPT, speaker=XSS_IMG, speaker_role=XSS_LINK, speaker_resolved=False,
                          sources=ids, citations=[first], attributions=[])],
            timeline=[TimelineEntry(date="2007-05-28", label=XSS_LINK, precision="day", estimated=False, kind="event",
                                    event=XSS_LINK, sources=ids, citations=[first], basis="javascript:window.__pwned=1")],
        ),
    )
