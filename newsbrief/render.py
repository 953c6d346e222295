"""Renderers: Brief -> Markdown / HTML (JSON is Brief.to_json). The only output formatting code.

Source text is HTML-escaped in HTML and '<' is escaped in Markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsbrief.model import Analysis, Brief, ConflictSide, Span, SummarySentence

MAX_QUOTES = 10
MAX_ENTITIES = 12
MAX_INDIRECT = 4

Cite = Callable[[list[str]], str]  # article ids -> citation markers ("[1][3]" or trusted HTML)


def _md(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip().replace("<", "&lt;")


def _h(text: str | None) -> str:
    return html.escape(re.sub(r"\s+", " ", text or "").strip(), quote=True)


def _short(text: str, words: int = 40) -> str:
    w = (text or "").split()
    return " ".join(w) if len(w) <= words else " ".join(w[:words]) + " …"


def _side_text(side: ConflictSide) -> str:
    return side.citations[0].text if side.citations else side.display


def _distinct_wordings(spans: list[Span], fmt: Callable[[Span], str]) -> list[str]:
    out: list[str] = []
    for c in spans:
        t = fmt(c)
        if t not in out:
            out.append(t)
    return out


# --------------------------------------------------------------------------------------------------
# Markdown


def _markers(brief: Brief, article_ids: list[str]) -> str:
    return "".join(f"[{brief.citation_number(a)}]" for a in article_ids)


PARAPHRASE = "paraphrase"


def _kinds(s: SummarySentence) -> dict[str, str]:
    """article -> how it supports the sentence (from `support_kinds`, aligned with `spans`)."""
    return {sp.article: k for sp, k in zip(s.spans, s.support_kinds)}


def _summary_markers(brief: Brief, s: SummarySentence) -> str:
    kinds = _kinds(s)
    return "".join(f"[{brief.citation_number(a)}{'≈' if kinds.get(a) == PARAPHRASE else ''}]" for a in s.sources)


def _disputed_attributes(brief: Brief, s: SummarySentence) -> list[str]:
    return [brief.conflicts[i].attribute for i in s.disputed if 0 <= i < len(brief.conflicts)]


def _disputed_md(brief: Brief, s: SummarySentence) -> str:
    attrs = _disputed_attributes(brief, s)
    if not attrs:
        return ""
    return " *(disputed by other sources: " + "; ".join(_md(a) for a in attrs) + " — see Where the sources disagree)*"


def _html_cite(n: int, paraphrase: bool) -> str:
    if paraphrase:
        return f'<a class="cite paraphrase" href="#src-{n}" title="says it in other words">[{n}≈]</a>'
    return f'<a class="cite" href="#src-{n}">[{n}]</a>'


def _source_line(brief: Brief, n: int) -> str:
    a = brief.articles[n - 1]
    parts = [a.title or a.id]
    if a.source:
        parts.append(a.source)
    if a.date:
        parts.append(a.date)
    if a.url:
        parts.append(a.url)
    return f"{n}. " + " — ".join(parts) + f" (`{a.id}`)"


def to_markdown(brief: Brief, show_removed: bool = False) -> str:
    """A readable brief: title, cited summary, analysis sections, numbered sources."""
    lines = [f"# {brief.title or 'Brief'}", ""]
    n_sources = len({a for s in brief.summary for a in s.sources})
    lines.append(f"*{len(brief.articles)} articles · {brief.summary_words} words · {n_sources} sources cited*")
    lines.append("")
    for s in brief.summary:
        lines.append(f"- {s.text} {_summary_markers(brief, s)}{_disputed_md(brief, s)}")
    if any(k == PARAPHRASE for s in brief.summary for k in s.support_kinds):
        lines += ["", "*[n≈]: that source says it in other words; [n]: the sentence is its own or a near-verbatim "
                      "copy.*"]
    lines.append("")
    sections = sections_markdown(brief.analysis, lambda ids: _markers(brief, ids))
    if sections.strip():
        lines += [sections.rstrip(), ""]
    lines.append("## Sources")
    lines.append("")
    for n in range(1, len(brief.articles) + 1):
        lines.append(_source_line(brief, n))
    if brief.warnings:
        lines += ["", "## Warnings", ""] + [f"- {w}" for w in brief.warnings]
    removed = [(a, r) for a in brief.articles for r in a.removed]
    if removed:
        lines.append("")
        if show_removed:
            lines += ["## Removed by the cleaner", ""]
            for a, r in removed:
                text = " ".join(r.text.split())
                text = text if len(text) <= 100 else text[:97] + "…"
                lines.append(f"- [{brief.citation_number(a.id)}] {r.reason}: “{text}”")
        else:
            lines.append(f"*The cleaner removed {len(removed)} pieces of boilerplate or repetition "
                         "(`--show-removed` lists them).*")
    return "\n".join(lines).rstrip() + "\n"


def sections_markdown(a: Analysis, cite: Cite) -> str:
    """The analysis sections in Markdown; `cite(article_ids)` gives the citation markers."""
    out: list[str] = []
    disagree = [c for c in a.conflicts if c.type != "change"]
    changes = [c for c in a.conflicts if c.type == "change"]
    if disagree:
        out.append("## Where the sources disagree\n")
        for c in disagree:
            sides = " **vs** ".join(f"\"{_md(_side_text(s))}\" {cite(s.sources)}" for s in c.sides)
            out.append(f"- **{_md(c.attribute)}**: {sides}")
            if c.note:
                out.append(f"  - *Note: {_md(c.note)}*")
            for s in c.sides:
                if s.sentences:
                    out.append(f"  - {cite(s.sources)} {_md(_short(s.sentences[0].text))}")
        out.append("")
    if changes:
        out.append("## Changed over time\n")
        for c in changes:
            steps = " **→** ".join(f"\"{_md(_side_text(s))}\" {cite(s.sources)}" for s in c.sides)
            out.append(f"- **{_md(c.attribute)}**: {steps}")
            if c.note:
                out.append(f"  - *{_md(c.note)}*")
        out.append("")
    if a.agreements:
        out.append("## Same figure, different wording\n")
        for g in a.agreements:
            words = _distinct_wordings(g.sides[0].citations, lambda c: f"\"{_md(c.text)}\" {cite([c.article])}")
            out.append(f"- {_md(g.attribute)}: " + ", ".join(words))
        out.append("")
    if a.consensus:
        out.append("## What the sources agree on\n")
        for claim in a.consensus:
            out.append(f"- {_md(claim.text)} {cite(claim.sources)}")
        out.append("")
    if a.single_source:
        out.append("## Reported by one source only\n")
        for single in a.single_source:
            out.append(f"- {_md(single.text)} — *{_md(single.source_label or single.source)}* {cite([single.source])}")
        out.append("")
    direct = [q for q in a.quotes if q.kind == "direct"]
    indirect = [q for q in a.quotes if q.kind == "indirect"]
    if direct or indirect:
        out.append("## Who said what\n")
        for q in direct[:MAX_QUOTES]:
            who = _md(q.speaker) if q.speaker else "unattributed"
            role = f" ({_md(q.speaker_role)})" if q.speaker_role else ""
            out.append(f"- “{_md(_short(q.text, 60))}” — **{who}**{role} {cite(q.sources)}")
        for q in indirect[:MAX_INDIRECT]:
            who = _md(q.speaker) if q.speaker else "unattributed"
            out.append(f"- **{who}** said {_md(_short(q.text, 40))} {cite(q.sources)}")
        out.append("")
    if a.timeline:
        out.append("## Timeline\n")
        for e in a.timeline:
            est = " (estimated)" if e.estimated else ""
            out.append(f"- **{_md(e.label)}**{est}: {_md(_short(e.event, 30))} {cite(e.sources)}")
        out.append("")
    if a.entities:
        out.append("## People, organisations, places\n")
        for ent in a.entities[:MAX_ENTITIES]:
            extra = [v for v in ent.variants if v != ent.name][:4]
            roles = "; ".join(_md(r.text) for r in ent.roles[:3])
            bits = [f"{ent.type}", f"{ent.mentions} mentions"]
            if extra:
                bits.append("also " + ", ".join(f"“{_md(v)}”" for v in extra))
            if roles:
                bits.append(roles)
            out.append(f"- **{_md(ent.name)}** ({'; '.join(bits)}) {cite(ent.sources)}")
        out.append("")
    if a.framing:
        out.append("## Wording (framing evidence)\n")
        for f in a.framing:
            terms = []
            for t in f.terms:
                term = f"\"{_md(t.citation.text)}\"" + (" (in a quotation)" if t.quoted else "")
                if t.neutral:
                    term += " — elsewhere: " + ", ".join(f"\"{_md(n.text)}\" {cite([n.article])}" for n in t.neutral)
                terms.append(term)
            out.append(f"- *{_md(f.source or f.article)}* {cite([f.article])}: " + "; ".join(terms))
        out.append("")
    return "\n".join(out).rstrip() + ("\n" if out else "")


# --------------------------------------------------------------------------------------------------
# HTML

_CSS = """
body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
.meta{color:#666}.cite{font-size:.8em;vertical-align:super;text-decoration:none;margin-left:1px}
ol.sources li{margin:.4rem 0}details{margin:.3rem 0}.reason{color:#a33}
.article{white-space:pre-wrap;background:#fafafa;border:1px solid #eee;padding:.5rem;font-size:.9rem}
mark{background:#fff3a0}.cite.paraphrase{font-style:italic}.disputed{color:#a33}
"""


def to_html(brief: Brief) -> str:
    """One self-contained HTML page; every piece of article text is escaped."""
    e = html.escape

    def cites(ids: list[str]) -> str:
        return "".join(
            f'<a class="cite" href="#src-{brief.citation_number(a)}">[{brief.citation_number(a)}]</a>' for a in ids
        )

    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{e(brief.title or 'Brief')}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(brief.title or 'Brief')}</h1>",
        f'<p class="meta">{len(brief.articles)} articles · {brief.summary_words} words</p>',
        "<ul class=\"summary\">",
    ]
    for s in brief.summary:
        kinds = _kinds(s)
        marks = "".join(_html_cite(brief.citation_number(a), kinds.get(a) == PARAPHRASE) for a in s.sources)
        attrs = _disputed_attributes(brief, s)
        flag = f' <small class="disputed">(disputed: {e("; ".join(attrs))})</small>' if attrs else ""
        out.append(f"<li>{e(s.text)} {marks}{flag}</li>")
    out.append("</ul>")
    sections = sections_html(brief.analysis, cites)
    if sections:
        out.append(sections)
    out.append('<h2>Sources</h2><ol class="sources">')
    for n, a in enumerate(brief.articles, 1):
        meta = " — ".join(e(x) for x in (a.source, a.date or "", a.url) if x)
        out.append(f'<li id="src-{n}"><strong>{e(a.title or a.id)}</strong> {meta}')
        out.append(f"<details><summary>Cleaned text</summary><div class=\"article\">{e(a.text)}</div></details>")
        if a.removed:
            out.append(f"<details><summary>Removed by the cleaner ({len(a.removed)})</summary><ul>")
            out += [f'<li><span class="reason">{e(r.reason)}</span>: {e(r.text)}</li>' for r in a.removed]
            out.append("</ul></details>")
        out.append("</li>")
    out.append("</ol>")
    if brief.warnings:
        out.append("<h2>Warnings</h2><ul>" + "".join(f"<li>{e(w)}</li>" for w in brief.warnings) + "</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def sections_html(a: Analysis, cite_html: Cite) -> str:
    """The analysis sections in HTML; `cite_html(article_ids)` gives trusted citation markup."""
    out: list[str] = []

    def section(cls: str, title: str, items: list[str]) -> None:
        if items:
            out.append(f'<section class="nb-{cls}"><h2>{_h(title)}</h2><ul>' + "".join(f"<li>{i}</li>" for i in items)
                       + "</ul></section>")

    items = []
    for c in [c for c in a.conflicts if c.type != "change"]:
        sides = []
        for s in c.sides:
            sent = s.sentences[0].text if s.sentences else ""
            sides.append(f'<span class="nb-side"><q>{_h(_side_text(s))}</q> {cite_html(s.sources)}'
                         f'<br><small>{_h(_short(sent))}</small></span>')
        note = f"<br><small><em>Note: {_h(c.note)}</em></small>" if c.note else ""
        items.append(f"<strong>{_h(c.attribute)}</strong>: " + " <em>vs</em> ".join(sides) + note)
    section("conflicts", "Where the sources disagree", items)
    section("changes", "Changed over time", [
        f"<strong>{_h(c.attribute)}</strong>: "
        + " → ".join(f"<q>{_h(_side_text(s))}</q> {cite_html(s.sources)}" for s in c.sides)
        + (f"<br><small><em>{_h(c.note)}</em></small>" if c.note else "")
        for c in a.conflicts if c.type == "change"])
    items = []
    for g in a.agreements:
        words = _distinct_wordings(g.sides[0].citations, lambda c: f"<q>{_h(c.text)}</q> {cite_html([c.article])}")
        items.append(f"{_h(g.attribute)}: " + ", ".join(words))
    section("agreements", "Same figure, different wording", items)
    section("consensus", "What the sources agree on",
            [f"{_h(c.text)} {cite_html(c.sources)}" for c in a.consensus])
    section("single-source", "Reported by one source only",
            [f"{_h(c.text)} — <em>{_h(c.source_label or c.source)}</em> {cite_html([c.source])}"
             for c in a.single_source])
    items = []
    for q in [q for q in a.quotes if q.kind == "direct"][:MAX_QUOTES]:
        who = _h(q.speaker) if q.speaker else "unattributed"
        role = f" ({_h(q.speaker_role)})" if q.speaker_role else ""
        items.append(f"<q>{_h(_short(q.text, 60))}</q> — <strong>{who}</strong>{role} {cite_html(q.sources)}")
    for q in [q for q in a.quotes if q.kind == "indirect"][:MAX_INDIRECT]:
        who = _h(q.speaker) if q.speaker else "unattributed"
        items.append(f"<strong>{who}</strong> said {_h(_short(q.text, 40))} {cite_html(q.sources)}")
    section("quotes", "Who said what", items)
    section("timeline", "Timeline", [
        f"<strong>{_h(e.label)}</strong>{' (estimated)' if e.estimated else ''}: "
        f"{_h(_short(e.event, 30))} {cite_html(e.sources)}" for e in a.timeline])
    items = []
    for ent in a.entities[:MAX_ENTITIES]:
        extra = [v for v in ent.variants if v != ent.name][:4]
        bits = [_h(ent.type), f"{int(ent.mentions)} mentions"]
        if extra:
            bits.append("also " + ", ".join(f"“{_h(v)}”" for v in extra))
        if ent.roles:
            bits.append("; ".join(_h(r.text) for r in ent.roles[:3]))
        items.append(f"<strong>{_h(ent.name)}</strong> ({'; '.join(bits)}) {cite_html(ent.sources)}")
    section("entities", "People, organisations, places", items)
    items = []
    for f in a.framing:
        terms = []
        for t in f.terms:
            term = f"<q>{_h(t.citation.text)}</q>" + (" (in a quotation)" if t.quoted else "")
            if t.neutral:
                term += " — elsewhere: " + ", ".join(f"<q>{_h(n.text)}</q> {cite_html([n.article])}" for n in t.neutral)
            terms.append(term)
        items.append(f"<em>{_h(f.source or f.article)}</em> {cite_html([f.article])}: " + "; ".join(terms))
    section("framing", "Wording (framing evidence)", items)
    return "\n".join(out)
