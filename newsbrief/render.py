"""Renderers: Brief -> Markdown / HTML (JSON is Brief.to_json). The only output formatting code."""

from __future__ import annotations

import html

from newsbrief.model import Brief


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
    lines.append(
        f"*{len(brief.articles)} articles · {brief.summary_words} words · "
        f"{n_sources} sources cited*"
    )
    lines.append("")
    for s in brief.summary:
        lines.append(f"- {s.text} {_markers(brief, s.sources)}")
    lines.append("")
    if brief.analysis:
        from newsbrief.analysis.render import sections_markdown

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
        "<ul class=\"summary\">",
    ]
    for s in brief.summary:
        out.append(f"<li>{e(s.text)} {cites(s.sources)}</li>")
    out.append("</ul>")
    if brief.analysis:
        from newsbrief.analysis.render import sections_html

        out.append(sections_html(brief.analysis, cites))
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
