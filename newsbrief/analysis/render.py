"""Markdown and HTML for the analysis sections. The caller supplies citation markers:
`cite(article_ids) -> "[1][3]"` (Markdown) and `cite_html(article_ids) -> "<sup>…</sup>"` (HTML, trusted).
All source text is HTML-escaped in HTML (and '<' in Markdown)."""

from __future__ import annotations

import html
import re
from typing import Callable

MAX_QUOTES = 10
MAX_ENTITIES = 12
MAX_INDIRECT = 4


def _md(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip().replace("<", "&lt;")


def _h(text: str | None) -> str:
    return html.escape(re.sub(r"\s+", " ", text or "").strip(), quote=True)


def _short(text: str, words: int = 40) -> str:
    w = (text or "").split()
    return " ".join(w) if len(w) <= words else " ".join(w[:words]) + " …"


def _ids(spans: list[dict]) -> list[str]:
    out = []
    for s in spans:
        if s["article"] not in out:
            out.append(s["article"])
    return out


def _side_text(side: dict) -> str:
    return side["citations"][0]["text"] if side.get("citations") else side.get("display", "")


def sections_markdown(analysis: dict, cite: Callable[[list[str]], str]) -> str:
    a = analysis or {}
    out: list[str] = []
    if a.get("conflicts"):
        out.append("## Where the sources disagree\n")
        for c in a["conflicts"]:
            sides = " **vs** ".join(f"\"{_md(_side_text(s))}\" {cite(s['sources'])}" for s in c["sides"])
            out.append(f"- **{_md(c['attribute'])}**: {sides}")
            if c.get("note"):
                out.append(f"  - *Note: {_md(c['note'])}*")
            for s in c["sides"]:
                sent = s["sentences"][0] if s.get("sentences") else None
                if sent:
                    out.append(f"  - {cite(s['sources'])} {_md(_short(sent['text']))}")
        out.append("")
    if a.get("agreements"):
        out.append("## Same figure, different wording\n")
        for g in a["agreements"]:
            cites = g["sides"][0]["citations"]
            words = []
            for c in cites:
                t = f"\"{_md(c['text'])}\" {cite([c['article']])}"
                if t not in words:
                    words.append(t)
            out.append(f"- {_md(g['attribute'])}: " + ", ".join(words))
        out.append("")
    if a.get("consensus"):
        out.append("## What the sources agree on\n")
        for c in a["consensus"]:
            out.append(f"- {_md(c['text'])} {cite(c['sources'])}")
        out.append("")
    if a.get("single_source"):
        out.append("## Reported by one source only\n")
        for c in a["single_source"]:
            out.append(f"- {_md(c['text'])} — *{_md(c.get('source_label') or c['source'])}* {cite([c['source']])}")
        out.append("")
    direct = [q for q in a.get("quotes", []) if q["kind"] == "direct"]
    indirect = [q for q in a.get("quotes", []) if q["kind"] == "indirect"]
    if direct or indirect:
        out.append("## Who said what\n")
        for q in direct[:MAX_QUOTES]:
            who = _md(q["speaker"]) if q.get("speaker") else "unattributed"
            role = f" ({_md(q['speaker_role'])})" if q.get("speaker_role") else ""
            out.append(f"- “{_md(_short(q['text'], 60))}” — **{who}**{role} {cite(q['sources'])}")
        for q in indirect[:MAX_INDIRECT]:
            who = _md(q["speaker"]) if q.get("speaker") else "unattributed"
            out.append(f"- **{who}** said {_md(_short(q['text'], 40))} {cite(q['sources'])}")
        out.append("")
    if a.get("timeline"):
        out.append("## Timeline\n")
        for e in a["timeline"]:
            est = " (estimated)" if e.get("estimated") else ""
            out.append(f"- **{_md(e['label'])}**{est}: {_md(_short(e['event'], 30))} {cite(e['sources'])}")
        out.append("")
    if a.get("entities"):
        out.append("## People, organisations, places\n")
        for e in a["entities"][:MAX_ENTITIES]:
            extra = [v for v in e["variants"] if v != e["name"]][:4]
            roles = "; ".join(_md(r["text"]) for r in e["roles"][:3])
            bits = [f"{e['type']}", f"{e['mentions']} mentions"]
            if extra:
                bits.append("also " + ", ".join(f"“{_md(v)}”" for v in extra))
            if roles:
                bits.append(roles)
            out.append(f"- **{_md(e['name'])}** ({'; '.join(bits)}) {cite(e['sources'])}")
        out.append("")
    if a.get("framing"):
        out.append("## Wording (framing evidence)\n")
        for f in a["framing"]:
            terms = []
            for t in f["terms"]:
                s = f"\"{_md(t['citation']['text'])}\"" + (" (in a quotation)" if t.get("quoted") else "")
                if t.get("neutral"):
                    s += " — elsewhere: " + ", ".join(f"\"{_md(n['text'])}\" {cite([n['article']])}" for n in t["neutral"])
                terms.append(s)
            out.append(f"- *{_md(f['source'] or f['article'])}* {cite([f['article']])}: " + "; ".join(terms))
        out.append("")
    return "\n".join(out).rstrip() + ("\n" if out else "")


def sections_html(analysis: dict, cite_html: Callable[[list[str]], str]) -> str:
    a = analysis or {}
    out: list[str] = []

    def section(cls: str, title: str, items: list[str]):
        if items:
            out.append(f'<section class="nb-{cls}"><h2>{_h(title)}</h2><ul>' + "".join(f"<li>{i}</li>" for i in items)
                       + "</ul></section>")

    items = []
    for c in a.get("conflicts", []):
        sides = []
        for s in c["sides"]:
            sent = s["sentences"][0]["text"] if s.get("sentences") else ""
            sides.append(f'<span class="nb-side"><q>{_h(_side_text(s))}</q> {cite_html(s["sources"])}'
                         f'<br><small>{_h(_short(sent))}</small></span>')
        note = f"<br><small><em>Note: {_h(c['note'])}</em></small>" if c.get("note") else ""
        items.append(f"<strong>{_h(c['attribute'])}</strong>: " + " <em>vs</em> ".join(sides) + note)
    section("conflicts", "Where the sources disagree", items)
    items = []
    for g in a.get("agreements", []):
        words = []
        for c in g["sides"][0]["citations"]:
            t = f"<q>{_h(c['text'])}</q> {cite_html([c['article']])}"
            if t not in words:
                words.append(t)
        items.append(f"{_h(g['attribute'])}: " + ", ".join(words))
    section("agreements", "Same figure, different wording", items)
    section("consensus", "What the sources agree on",
            [f"{_h(c['text'])} {cite_html(c['sources'])}" for c in a.get("consensus", [])])
    section("single-source", "Reported by one source only",
            [f"{_h(c['text'])} — <em>{_h(c.get('source_label') or c['source'])}</em> {cite_html([c['source']])}"
             for c in a.get("single_source", [])])
    items = []
    quotes = a.get("quotes", [])
    for q in [q for q in quotes if q["kind"] == "direct"][:MAX_QUOTES]:
        who = _h(q["speaker"]) if q.get("speaker") else "unattributed"
        role = f" ({_h(q['speaker_role'])})" if q.get("speaker_role") else ""
        items.append(f"<q>{_h(_short(q['text'], 60))}</q> — <strong>{who}</strong>{role} {cite_html(q['sources'])}")
    for q in [q for q in quotes if q["kind"] == "indirect"][:MAX_INDIRECT]:
        who = _h(q["speaker"]) if q.get("speaker") else "unattributed"
        items.append(f"<strong>{who}</strong> said {_h(_short(q['text'], 40))} {cite_html(q['sources'])}")
    section("quotes", "Who said what", items)
    section("timeline", "Timeline", [
        f"<strong>{_h(e['label'])}</strong>{' (estimated)' if e.get('estimated') else ''}: "
        f"{_h(_short(e['event'], 30))} {cite_html(e['sources'])}" for e in a.get("timeline", [])])
    items = []
    for e in a.get("entities", [])[:MAX_ENTITIES]:
        extra = [v for v in e["variants"] if v != e["name"]][:4]
        bits = [_h(e["type"]), f"{int(e['mentions'])} mentions"]
        if extra:
            bits.append("also " + ", ".join(f"“{_h(v)}”" for v in extra))
        if e["roles"]:
            bits.append("; ".join(_h(r["text"]) for r in e["roles"][:3]))
        items.append(f"<strong>{_h(e['name'])}</strong> ({'; '.join(bits)}) {cite_html(e['sources'])}")
    section("entities", "People, organisations, places", items)
    items = []
    for f in a.get("framing", []):
        terms = []
        for t in f["terms"]:
            s = f"<q>{_h(t['citation']['text'])}</q>" + (" (in a quotation)" if t.get("quoted") else "")
            if t.get("neutral"):
                s += " — elsewhere: " + ", ".join(f"<q>{_h(n['text'])}</q> {cite_html([n['article']])}" for n in t["neutral"])
            terms.append(s)
        items.append(f"<em>{_h(f['source'] or f['article'])}</em> {cite_html([f['article']])}: " + "; ".join(terms))
    section("framing", "Wording (framing evidence)", items)
    return "\n".join(out)
