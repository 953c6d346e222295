"""Renderers: Brief -> Markdown / HTML (JSON is Brief.to_json). The only output formatting code.

Source text is HTML-escaped in HTML and '<' is escaped in Markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsbrief.model import Analysis, Brief, ConflictSide, Span

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
    lines += mode_markdown(brief)
    for s in brief.summary:
        lines.append(f"- {s.text} {_markers(brief, s.sources)}")
    lines.append("")
    changes = changes_markdown(brief, lambda ids: _markers(brief, ids))
    if changes:
        lines += [changes.rstrip(), ""]
    sections = sections_markdown(brief.analysis, lambda ids: _markers(brief, ids))
    if sections.strip():
        lines += [sections.rstrip(), ""]
    lines.append("## Sources")
    lines.append("")
    for n in range(1, len(brief.articles) + 1):
        lines.append(_source_line(brief, n))
    lines += earlier_sources_markdown(brief)
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


def mode_markdown(brief: Brief) -> list[str]:
    """The lines that say what an update or question-focused brief is (none for a generic brief)."""
    out = []
    if brief.query is not None:
        out.append(f"**Question:** {_md(brief.query)}")
        out.append("")
        if brief.answered is False:
            out += ["*Nothing in these articles answers this question. The general brief follows.*", ""]
    if brief.earlier:
        out += [f"*Update: what {len(brief.articles)} new articles add to {len(brief.earlier)} earlier ones "
                "(no sentence below restates the earlier coverage).*", ""]
    return out


def changes_markdown(brief: Brief, cite: Cite) -> str:
    """Update briefs: the figures set against the earlier ones, both sides cited."""
    if not brief.changes:
        return ""
    out = ["## What changed since the earlier coverage\n"]
    for c in brief.changes:
        old = c.old.citations[0].text if c.old.citations else c.old.display
        new = c.new.citations[0].text if c.new.citations else c.new.display
        out.append(f"- **{_md(c.measure)}**: {_md(c.text)} — now \"{_md(new)}\" {cite(c.new.sources)}, "
                   f"earlier \"{_md(old)}\" {cite(c.old.sources)}")
        for side in (c.new, c.old):
            if side.sentences:
                out.append(f"  - {cite(side.sources[:1])} {_md(_short(side.sentences[0].text))}")
    return "\n".join(out) + "\n"


def earlier_sources_markdown(brief: Brief) -> list[str]:
    if not brief.earlier:
        return []
    out = ["", "## Earlier coverage (the update is made since these)", ""]
    for n, a in enumerate(brief.earlier, len(brief.articles) + 1):
        parts = [a.title or a.id] + [x for x in (a.source, a.date or "", a.url) if x]
        out.append(f"{n}. " + " — ".join(parts) + f" (`{a.id}`)")
    return out


def sections_markdown(a: Analysis, cite: Cite) -> str:
    """The analysis sections in Markdown; `cite(article_ids)` gives the citation markers."""
    out: list[str] = []
    if a.conflicts:
        out.append("## Where the sources disagree\n")
        for c in a.conflicts:
            sides = " **vs** ".join(f"\"{_md(_side_text(s))}\" {cite(s.sources)}" for s in c.sides)
            out.append(f"- **{_md(c.attribute)}**: {sides}")
            if c.note:
                out.append(f"  - *Note: {_md(c.note)}*")
            for s in c.sides:
                if s.sentences:
                    out.append(f"  - {cite(s.sources)} {_md(_short(s.sentences[0].text))}")
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
mark{background:#fff3a0}
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
        *mode_html(brief),
        "<ul class=\"summary\">",
    ]
    for s in brief.summary:
        out.append(f"<li>{e(s.text)} {cites(s.sources)}</li>")
    out.append("</ul>")
    out += changes_html(brief, cites)
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
    out += earlier_sources_html(brief)
    if brief.warnings:
        out.append("<h2>Warnings</h2><ul>" + "".join(f"<li>{e(w)}</li>" for w in brief.warnings) + "</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def mode_html(brief: Brief) -> list[str]:
    out = []
    if brief.query is not None:
        out.append(f'<p class="nb-query"><strong>Question:</strong> {_h(brief.query)}</p>')
        if brief.answered is False:
            out.append('<p class="nb-unanswered"><em>Nothing in these articles answers this question. '
                       'The general brief follows.</em></p>')
    if brief.earlier:
        out.append(f'<p class="nb-update"><em>Update: what {len(brief.articles)} new articles add to '
                   f'{len(brief.earlier)} earlier ones (no sentence below restates the earlier coverage).</em></p>')
    return out


def changes_html(brief: Brief, cite_html: Cite) -> list[str]:
    if not brief.changes:
        return []
    items = []
    for c in brief.changes:
        old = c.old.citations[0].text if c.old.citations else c.old.display
        new = c.new.citations[0].text if c.new.citations else c.new.display
        items.append(f"<strong>{_h(c.measure)}</strong>: {_h(c.text)} — "
                     f"now <q>{_h(new)}</q> {cite_html(c.new.sources)}, "
                     f"earlier <q>{_h(old)}</q> {cite_html(c.old.sources)}")
    return ['<section class="nb-changes"><h2>What changed since the earlier coverage</h2><ul>'
            + "".join(f"<li>{i}</li>" for i in items) + "</ul></section>"]


def earlier_sources_html(brief: Brief) -> list[str]:
    if not brief.earlier:
        return []
    e = html.escape
    out = ['<h2>Earlier coverage (the update is made since these)</h2>',
           f'<ol class="sources earlier" start="{len(brief.articles) + 1}">']
    for n, a in enumerate(brief.earlier, len(brief.articles) + 1):
        meta = " — ".join(e(x) for x in (a.source, a.date or "", a.url) if x)
        out.append(f'<li id="src-{n}"><strong>{e(a.title or a.id)}</strong> {meta}'
                   f"<details><summary>Cleaned text</summary><div class=\"article\">{e(a.text)}</div></details></li>")
    out.append("</ol>")
    return out


def sections_html(a: Analysis, cite_html: Cite) -> str:
    """The analysis sections in HTML; `cite_html(article_ids)` gives trusted citation markup."""
    out: list[str] = []

    def section(cls: str, title: str, items: list[str]) -> None:
        if items:
            out.append(f'<section class="nb-{cls}"><h2>{_h(title)}</h2><ul>' + "".join(f"<li>{i}</li>" for i in items)
                       + "</ul></section>")

    items = []
    for c in a.conflicts:
        sides = []
        for s in c.sides:
            sent = s.sentences[0].text if s.sentences else ""
            sides.append(f'<span class="nb-side"><q>{_h(_side_text(s))}</q> {cite_html(s.sources)}'
                         f'<br><small>{_h(_short(sent))}</small></span>')
        note = f"<br><small><em>Note: {_h(c.note)}</em></small>" if c.note else ""
        items.append(f"<strong>{_h(c.attribute)}</strong>: " + " <em>vs</em> ".join(sides) + note)
    section("conflicts", "Where the sources disagree", items)
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
