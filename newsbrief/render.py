"""Renderers: Brief -> Markdown / HTML (JSON is Brief.to_json). The only output formatting code.

One layout on every surface (this Markdown, this HTML report, and the web page, whose section titles
a test holds equal to `SECTION_TITLES`), in a reader's words:

    title, what the brief covers (articles, outlets, the stories of a mixed input)
    Summary                          verbatim sentences, each naming the outlets that carry it
    Where the sources disagree       the two sides side by side, each with its outlets
    Same figure, different wording
    Who said what
    Reported by one outlet only
    What the sources agree on
    Timeline
    People, organisations and places
    Wording                          loaded terms, beside the other outlets' neutral wording
    (any section added to the analysis later, with a title made from its name)
    Sources                          by outlet, with how much of the brief each carries
    Warnings, what the cleaner removed (--show-removed), and how the brief was made

No internal field name or id is shown. Long sections are complete in Markdown; in HTML they show
the first items and "+N more" (a <details> with the rest). In HTML every citation links to the
exact cited span, shown next to the claim (CSS :target, no JavaScript) and, from there, in the full
text of the article at the bottom. Source text is HTML-escaped in HTML and '<' is escaped in Markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import fields, is_dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from newsbrief.outlets import strip_dateline

if TYPE_CHECKING:
    from newsbrief.model import Analysis, Article, Brief, ConflictSide, Span, SummarySentence

# The sections of a brief, in their order, with the titles readers see (the page uses the same).
SECTION_TITLES: dict[str, str] = {
    "summary": "Summary",
    "conflicts": "Where the sources disagree",
    "over_time": "Changed over time",
    "agreements": "Same figure, different wording",
    "quotes": "Who said what",
    "single_source": "Reported by one outlet only",
    "consensus": "What the sources agree on",
    "timeline": "Timeline",
    "entities": "People, organisations and places",
    "framing": "Wording",
    "outlets": "Sources",
    "changes": "What changed since the earlier coverage",  # update briefs (Brief.changes)
}
ANALYSIS_ORDER = ["conflicts", "over_time", "agreements", "quotes", "single_source", "consensus", "timeline",
                  "entities", "framing"]
SHOWN = {"quotes": 10, "entities": 12}  # HTML: items shown before "+N more"
UNNAMED = "unnamed outlet"
ENTITY_TYPES = {"person": "person", "organization": "organisation", "organisation": "organisation",
                "place": "place", "location": "place", "gpe": "place"}

Cite = Callable[[list[str]], str]  # article ids -> citation markers ("[1][3]" or trusted HTML)

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # terminal escapes (ESC, BEL, ...): never output


def _safe(text: str | None) -> str:
    """Text without control characters (tabs and newlines kept)."""
    return _CONTROL.sub("", text or "")


def _md(text: str | None) -> str:
    """One line of Markdown: whitespace collapsed, no control characters, no raw HTML."""
    return re.sub(r"\s+", " ", _safe(text)).strip().replace("<", "&lt;")


def _h(text: str | None) -> str:
    return html.escape(re.sub(r"\s+", " ", _safe(text)).strip(), quote=True)


def _short(text: str, words: int = 40) -> str:
    w = (text or "").split()
    return " ".join(w) if len(w) <= words else " ".join(w[:words]) + " …"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def title_for(section: str) -> str:
    """The reader's title of a section; a section added later gets one made from its name."""
    return SECTION_TITLES.get(section) or section.replace("_", " ").strip().capitalize()


def outlet_display(article: Article | None) -> str:
    """An article's outlet as shown: "NCRI, from AFP", "Reuters", or "unnamed outlet"."""
    return (article.outlet_label() if article is not None else "") or UNNAMED


def _date_label(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        d = datetime.strptime(iso[:10], "%Y-%m-%d")
    except ValueError:
        return iso
    return f"{d.day} {d.strftime('%B %Y')}"


def _side_text(side: ConflictSide) -> str:
    return side.citations[0].text if side.citations else side.display


def _sections(a: Analysis) -> list[str]:
    """The analysis sections present, in the layout's order; sections added later come after them.
    Conflicts of type "change" (a figure that moved over time) form their own section, "over_time"."""
    names = [f.name for f in fields(a)] if is_dataclass(a) else []
    names += ["over_time"] if "conflicts" in names else []
    known = [n for n in ANALYSIS_ORDER if n in names]
    return known + [n for n in names if n not in known]


def _section_items(a: Analysis, section: str) -> list[Any]:
    if section == "over_time":
        return [c for c in a.conflicts if c.type == "change"]
    items = getattr(a, section, None) or []
    return [c for c in items if c.type != "change"] if section == "conflicts" else items


PARAPHRASE = "paraphrase"


def _paraphrased(s: SummarySentence) -> set[str]:
    """The sources that carry a summary sentence in other words (from `support_kinds`, aligned with `spans`)."""
    return {sp.article for sp, k in zip(s.spans, s.support_kinds) if k == PARAPHRASE}


def _disputed_attributes(brief: Brief, s: SummarySentence) -> list[str]:
    """What other sources dispute in a summary sentence (the attributes of the conflicts it is a side of)."""
    conflicts = brief.analysis.conflicts
    return [conflicts[i].attribute for i in s.disputed if 0 <= i < len(conflicts)]


def _direct(q: Any) -> bool:
    return getattr(q, "kind", "") != "indirect"


def _who(q: Any) -> tuple[str, str]:
    return (q.speaker or "unattributed"), (q.speaker_role or "")


def _speakers_by_outlet(q: Any, name: Callable[[str], str]) -> list[tuple[str, str]]:
    """(outlet, speaker) for each outlet's copy when outlets give a quote to different people."""
    if not getattr(q, "speakers_differ", False):
        return []
    out = []
    for qs in getattr(q, "by_source", None) or []:
        pair = (name(qs.article), qs.speaker or "unattributed")
        if pair not in out:
            out.append(pair)
    return out


def _entity_bits(ent: Any) -> list[str]:
    bits = [ENTITY_TYPES.get(ent.type, ent.type), _plural(int(ent.mentions), "mention")]
    extra = [v for v in ent.variants if v != ent.name][:4]
    if extra:
        bits.append("also " + ", ".join(f"“{v}”" for v in extra))
    roles = [r.text for r in ent.roles[:3]]
    if roles:
        bits.append("; ".join(roles))
    return bits


def _primary_text(item: Any) -> str:
    """The main words of an item of a section added later (generic rendering)."""
    for key in ("text", "event", "statement", "summary", "description", "attribute", "term", "name", "label",
                "title", "display"):
        v = getattr(item, key, None)
        if isinstance(v, str) and v.strip():
            return v
    return ""


def _item_spans(item: Any) -> list[Span]:
    from newsbrief.model import Span

    spans: list[Span] = []
    for key in ("citations", "citation", "spans", "sentences"):
        v = getattr(item, key, None)
        for sp in v if isinstance(v, list) else [v]:
            if isinstance(sp, Span):
                spans.append(sp)
    return spans


def _item_sources(item: Any) -> list[str]:
    ids = getattr(item, "sources", None)
    if isinstance(ids, list) and all(isinstance(x, str) for x in ids):
        return list(ids)
    out: list[str] = []
    for sp in _item_spans(item):
        if sp.article not in out:
            out.append(sp.article)
    return out


def _removed_count(brief: Brief) -> int:
    return sum(len(a.removed) for a in brief.articles)


def _story_warning(brief: Brief, w: str) -> bool:
    return bool(brief.stories) and w.startswith("the input covers ")


def _cited_outlets(brief: Brief) -> int:
    by_id = {a.id: a for a in brief.articles}
    keys = {(by_id[a].outlet.lower() if a in by_id and by_id[a].outlet else "\x00" + a)
            for s in brief.summary for a in s.sources}
    return len(keys)


def coverage_line(brief: Brief) -> str:
    """What the brief covers, in words: "5 articles from 5 outlets (3 not named) · 150-word summary
    citing 3 of them"."""
    outlets = brief.outlets
    unnamed = sum(1 for o in outlets if not o.outlet)
    n_art = len(brief.articles)
    parts = [f"{_plural(n_art, 'article')} from {_plural(len(outlets), 'outlet')}"
             + (f" ({unnamed} not named)" if unnamed else "")]
    cited = _cited_outlets(brief)
    if len(outlets) == cited == 1:
        whom = "it"
    elif cited == len(outlets) > 1:
        whom = "all of them"
    else:
        whom = _plural(cited, "outlet")
    parts.append(f"{brief.summary_words}-word summary citing {whom}")
    return " · ".join(parts)


def provenance_line(brief: Brief, now: datetime | None = None) -> str:
    """How the brief was made: version, date and settings."""
    p = brief.provenance or {}
    when = brief.created_at or (now or datetime.now(timezone.utc)).isoformat(timespec="minutes")
    when = when.replace("T", " ").replace("+00:00", " UTC").rstrip("Z")
    bits = [f"{p.get('words', brief.words)}-word budget"]
    if "analysis" in p:
        bits.append("analysis " + ("on" if p["analysis"] else "off"))
    if "embeddings" in p:
        bits.append("paraphrase model (MiniLM) " + ("on" if p["embeddings"] else "off"))
    if brief.stories:
        story = p.get("story", "largest")
        briefed = [s.number for s in brief.stories if s.briefed]
        n = len(brief.stories)
        if story == "all":
            bits.append(f"stories: all {n} together")
        else:
            bits.append(f"story {briefed[0]} of {n}" + (" (the largest)" if story == "largest" else ""))
    version = p.get("version")
    if version is None:
        from newsbrief import __version__ as version
    return f"Made with newsbrief {version} on {when} · settings: " + ", ".join(bits)


# --------------------------------------------------------------------------------------------------
# Markdown


class _MdView:
    """Citation markers and outlet names for Markdown."""

    def __init__(self, brief: Brief | None, cite: Cite | None = None):
        self.brief = brief
        self._cite = cite
        self._by_id = {a.id: a for a in [*brief.articles, *brief.earlier]} if brief is not None else {}

    def marker(self, ids: list[str], paraphrased: frozenset[str] | set[str] = frozenset()) -> str:
        if self._cite is not None:
            return self._cite(ids)
        assert self.brief is not None
        return "".join(f"[{self.brief.citation_number(a)}{'≈' if a in paraphrased else ''}]"
                       for a in ids if a in self._by_id)

    def name(self, aid: str) -> str:
        return outlet_display(self._by_id.get(aid))

    def cite(self, ids: list[str], paraphrased: frozenset[str] | set[str] = frozenset()) -> str:
        """ "Reuters [2]; NCRI, from AFP [3≈]; unnamed outlets [4][5]" (markers alone without a brief);
        `paraphrased`: the sources that say it in other words (marked ≈)."""
        ids = [a for a in dict.fromkeys(ids)]
        if self.brief is None:
            return self.marker(ids, paraphrased)
        groups: dict[str, list[str]] = {}
        for aid in ids:
            if aid in self._by_id:
                groups.setdefault(self.name(aid), []).append(aid)
        parts = []
        for name, members in groups.items():
            shown = f"{UNNAMED}s" if name == UNNAMED and len(members) > 1 else name
            parts.append(f"{_md(shown)} {self.marker(members, paraphrased)}")
        return "; ".join(parts)


def to_markdown(brief: Brief, show_removed: bool = False) -> str:
    """A readable brief: title, cited summary with outlets, the analysis, sources by outlet."""
    v = _MdView(brief)
    lines = [f"# {_md(brief.title) or 'Brief'}", "", f"*{coverage_line(brief)}*", ""]
    lines += mode_markdown(brief)
    if brief.stories:
        lines += _stories_markdown(brief), ""
    lines += [f"## {SECTION_TITLES['summary']}", ""]
    for s in brief.summary:
        attrs = _disputed_attributes(brief, s)
        disputed = (" *(disputed by other sources: " + "; ".join(_md(x) for x in attrs)
                    + " — see “Where the sources disagree”)*") if attrs else ""
        lines.append(f"- {_md(s.text)}{disputed} — {v.cite(s.sources, _paraphrased(s))}")
    if any(k == PARAPHRASE for s in brief.summary for k in s.support_kinds):
        lines += ["", "*[n≈]: that source says it in other words; [n]: the sentence is its own or a near-verbatim "
                      "copy.*"]
    lines.append("")
    changes = changes_markdown(brief, v.cite)
    if changes:
        lines += [changes.rstrip(), ""]
    sections = _sections_markdown(brief.analysis, v)
    if sections.strip():
        lines += [sections.rstrip(), ""]
    lines += _sources_markdown(brief, v)
    lines += earlier_sources_markdown(brief)
    warnings = [w for w in brief.warnings if not _story_warning(brief, w)]
    if warnings:
        lines += ["", "## Warnings", ""] + [f"- {_md(w)}" for w in warnings]
    removed = [(a, r) for a in brief.articles for r in a.removed]
    if removed:
        lines.append("")
        if show_removed:
            lines += ["## Removed by the cleaner", ""]
            for a, r in removed:
                text = _md(r.text)
                text = text if len(text) <= 100 else text[:97] + "…"
                lines.append(f"- [{brief.citation_number(a.id)}] {_md(r.reason)}: “{text}”")
        else:
            lines.append(f"*The cleaner removed {_plural(len(removed), 'piece')} of boilerplate or repetition "
                         "(`--show-removed` lists them).*")
    lines += ["", f"*{_md(provenance_line(brief))}*"]
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
    out = [f"## {SECTION_TITLES['changes']}\n"]
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
        parts = [outlet_display(a), a.title or a.id, _date_label(a.date), a.url]
        out.append(f"{n}. " + " — ".join(_md(p) for p in parts if p))
    return out


def _names(s: Any, esc: Callable[[str], str], shown: int = 6) -> str:
    """The names of a story's articles: the first `shown`, then "and N more"."""
    names = ", ".join(esc(a.name) for a in s.articles[:shown])
    return names + (f" and {len(s.articles) - shown} more" if len(s.articles) > shown else "")


def _stories_markdown(brief: Brief) -> str:
    out = [f"> **This input covers {len(brief.stories)} unrelated stories.**"]
    for s in brief.stories:
        names = _names(s, _md)
        mark = "**briefed here**" if s.briefed else "not in this brief"
        out.append(f"> - Story {s.number}, “{_md(s.title)}” ({_plural(len(s.articles), 'article')}: {names}) — {mark}")
    out.append("> Brief another with `--story N` (or `--story all` for everything together).")
    return "\n".join(out)


def _coverage_name(brief: Brief, o: Any) -> tuple[str, str]:
    """(outlet name, ", carrying AFP copy" or "") for a line of the per-outlet coverage."""
    labels = {brief.article(a).outlet_label() for a in o.articles}
    if len(labels) == 1 and next(iter(labels)):
        return next(iter(labels)), ""
    name = o.outlet or (next(iter(labels)) if len(labels) == 1 and next(iter(labels)) else UNNAMED)
    return name, (f", carrying {', '.join(o.wires)} copy" if o.wires and o.outlet else "")


def _sources_markdown(brief: Brief, v: _MdView) -> list[str]:
    lines = [f"## {SECTION_TITLES['outlets']}", ""]
    n_sum = len(brief.summary)
    for o in brief.outlets:
        name, wires = _coverage_name(brief, o)
        nums = "".join(f"[{brief.citation_number(a)}]" for a in o.articles)
        lines.append(f"- **{_md(name)}**{_md(wires)} {nums}: {_plural(len(o.articles), 'article')}, "
                     f"cited in {o.summary_sentences} of {n_sum} summary sentences")
    lines.append("")
    for n, a in enumerate(brief.articles, 1):
        parts = [outlet_display(a), a.title or (a.path.rsplit('/', 1)[-1] if a.path else f"article {n}"),
                 _date_label(a.date), a.url]
        why = brief.not_summarised.get(a.id)
        lines.append(f"{n}. " + " — ".join(_md(p) for p in parts if p) + (f" — *not summarised: {_md(why)}*"
                                                                          if why else ""))
    return lines


def sections_markdown(a: Analysis, cite: Cite) -> str:
    """The analysis sections in Markdown; `cite(article_ids)` gives the citation markers."""
    return _sections_markdown(a, _MdView(None, cite))


def _sections_markdown(a: Analysis, v: _MdView) -> str:
    out: list[str] = []

    def head(section: str) -> None:
        out.append(f"## {title_for(section)}\n")

    for section in _sections(a):
        items = _section_items(a, section)
        if not items:
            continue
        head(section)
        if section == "over_time":
            for c in items:
                steps = " → ".join(f"“{_md(_side_text(s))}” {v.cite(s.sources)}" for s in c.sides)
                out.append(f"- **{_md(c.attribute[:1].upper() + c.attribute[1:])}**: {steps}")
                if c.note:
                    out.append(f"  - *{_md(c.note)}*")
        elif section == "conflicts":
            for c in items:
                out.append(f"- **{_md(c.attribute[:1].upper() + c.attribute[1:])}**")
                for k, s in enumerate(c.sides):
                    lead = "" if k == 0 else "*versus* "
                    out.append(f"  - {lead}“{_md(_side_text(s))}” — {v.cite(s.sources)}")
                    if s.sentences:
                        out.append(f"    > {_md(_short(strip_dateline(s.sentences[0].text), 60))}")
                if c.note:
                    out.append(f"  - *Note: {_md(c.note)}*")
        elif section == "agreements":
            for g in items:
                words = []
                for c in g.sides[0].citations:
                    w = f"“{_md(c.text)}” {v.cite([c.article])}"
                    if w not in words:
                        words.append(w)
                out.append(f"- {_md(g.attribute[:1].upper() + g.attribute[1:])}: " + ", ".join(words))
        elif section == "quotes":
            for q in [q for q in items if _direct(q)] + [q for q in items if not _direct(q)]:
                who, role = _who(q)
                role_s = f" ({_md(role)})" if role else ""
                if _direct(q):
                    out.append(f"- “{_md(q.text)}” — **{_md(who)}**{role_s} · {v.cite(q.sources)}")
                else:
                    out.append(f"- **{_md(who)}**{role_s} said {_md(q.text)} — {v.cite(q.sources)}")
                differ = _speakers_by_outlet(q, v.name)
                if differ:
                    out.append("  - *Outlets name different speakers:* "
                               + "; ".join(f"{_md(o)}: {_md(w)}" for o, w in differ))
        elif section == "single_source":
            for single in items:
                out.append(f"- {_md(strip_dateline(single.text))} — only {v.cite([single.source])}")
        elif section == "consensus":
            for claim in items:
                out.append(f"- {_md(strip_dateline(claim.text))} — {v.cite(claim.sources)}")
        elif section == "timeline":
            for e in items:
                tags = [t for t in ("date estimated" if e.estimated else "",
                                    e.kind if e.kind in ("later event", "background") else "") if t]
                tag = f" ({', '.join(tags)})" if tags else ""
                event = _md(_short(strip_dateline(e.event), 30))
                out.append(f"- **{_md(e.label)}**{tag}: {event} {v.marker(e.sources)}")
        elif section == "entities":
            for ent in items:
                out.append(f"- **{_md(ent.name)}** ({_md('; '.join(_entity_bits(ent)))}) {v.marker(ent.sources)}")
        elif section == "framing":
            for f in items:
                terms = []
                for t in f.terms:
                    term = f"“{_md(t.citation.text)}”" + (" (in a quotation)" if t.quoted else "")
                    if t.neutral:
                        term += " — others: " + ", ".join(f"“{_md(n.text)}” {v.marker([n.article])}" for n in t.neutral)
                    terms.append(term)
                who = v.name(f.article) if v.brief is not None else (f.source or "")
                out.append(f"- *{_md(who)}* {v.marker([f.article])}: " + "; ".join(terms))
        else:  # a section added to the analysis later: its items' main words and citations
            for item in items:
                text = _primary_text(item)
                note = getattr(item, "note", None)
                out.append(f"- {_md(text)} {v.cite(_item_sources(item))}".rstrip()
                           + (f" — *{_md(note)}*" if isinstance(note, str) and note else ""))
        out.append("")
    return "\n".join(out).rstrip() + ("\n" if out else "")


# --------------------------------------------------------------------------------------------------
# HTML

_CSS = """
:root{--fg:#1d1f21;--muted:#5b6067;--line:#d9dce1;--panel:#f6f7f9;--accent:#1f5fbf;--accent-bg:#e8f0fc;
--mark:#ffe58a;--mark-line:#c99700}
*{box-sizing:border-box}
body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;max-width:56rem;
margin:0 auto;padding:1rem 1rem 3rem;color:var(--fg)}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0}
h2{font-size:1.2rem;margin:2rem 0 .6rem;padding-bottom:.2rem;border-bottom:1px solid var(--line)}
.meta,.hint,footer{color:var(--muted);font-size:.9rem}
a{color:var(--accent)}
a:focus-visible{outline:3px solid var(--accent);outline-offset:2px;border-radius:3px}
ul.items{padding-left:1.2rem}ul.items>li{margin:.55rem 0}
.stories{border:1px solid var(--mark-line);background:#fffbe8;border-radius:6px;padding:.6rem .9rem;margin:1rem 0}
.stories ul{margin:.3rem 0;padding-left:1.2rem}
.cite{display:inline-flex;align-items:center;gap:.2rem;min-height:1.9rem;padding:0 .4rem;margin:.1rem .1rem;
border:1px solid var(--line);border-radius:999px;font-size:.8rem;text-decoration:none;white-space:nowrap;
vertical-align:middle;background:#fff}
.cite .n{color:var(--muted)}
.cite:hover{background:var(--accent-bg)}
@media (max-width:700px),(pointer:coarse){.cite{min-height:44px;min-width:44px;justify-content:center}}
.ev{display:none;margin:.4rem 0 .6rem;border-left:4px solid var(--mark-line);background:var(--panel);
padding:.5rem .75rem;border-radius:0 6px 6px 0;scroll-margin-top:35vh}
.ev:target{display:block}
li:has(.ev:target)>.claim{background:var(--accent-bg);border-radius:4px}
.ev-head{font-size:.85rem;color:var(--muted);display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center}
.ev-head a{display:inline-flex;align-items:center;min-height:44px}
.ev blockquote{margin:.3rem 0;font-size:.95rem}
mark.cited,.fulltext .cited:target{background:var(--mark);box-shadow:0 2px 0 var(--mark-line);color:inherit}
mark.cited.paraphrase{background:transparent;box-shadow:none;outline:2px dashed var(--mark-line)}
.fulltext .cited{scroll-margin-top:30vh}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:.75rem;margin:.4rem 0}
@media (max-width:700px){.sides{grid-template-columns:1fr}}
.side{border:1px solid var(--line);border-radius:6px;padding:.5rem .7rem;background:#fff}
.side .value{font-weight:600;font-size:1.05rem}
.side .sentence{font-size:.9rem;color:var(--muted);margin:.3rem 0}
.note{font-size:.9rem;color:var(--muted);font-style:italic}
.who{font-weight:600}.role{color:var(--muted)}
details.more>summary{cursor:pointer;color:var(--accent);min-height:44px;display:flex;align-items:center}
.source-list li{margin:.6rem 0}
.fulltext{white-space:pre-wrap;background:var(--panel);border:1px solid var(--line);border-radius:6px;
padding:.6rem .8rem;font-size:.92rem}
.reason{color:#8a2c1f}
footer{margin-top:3rem;border-top:1px solid var(--line);padding-top:.6rem}
"""


class _HtmlView:
    """Citation chips and their evidence (the cited span in context, shown on :target)."""

    def __init__(self, brief: Brief | None, cite: Cite | None = None):
        self.brief = brief
        self._cite = cite
        self._by_id = {a.id: a for a in [*brief.articles, *brief.earlier]} if brief is not None else {}
        self._n = 0
        self._pending: list[str] = []
        self.wrapped: dict[str, set[tuple[int, int]]] = {}  # article id -> spans wrapped in the full text

    def name(self, aid: str) -> str:
        return outlet_display(self._by_id.get(aid))

    def cite(self, ids: list[str], spans: Iterable[Span] = (), value_spans: Iterable[Span] = (),
             paraphrased: frozenset[str] | set[str] = frozenset()) -> str:
        """Chips for `ids`, each linking to its evidence (the first span of that article in `spans`);
        `value_spans` (inside those spans) are the words to highlight, when narrower; `paraphrased`: the
        sources that say it in other words (chip marked ≈, passage outlined rather than highlighted)."""
        if self._cite is not None:
            return self._cite(ids)
        assert self.brief is not None
        spans = list(spans)
        values = list(value_spans)
        chips = []
        for aid in dict.fromkeys(ids):
            a = self._by_id.get(aid)
            if a is None:
                continue
            n = self.brief.citation_number(aid)
            span = next((sp for sp in spans if sp.article == aid and _valid(a, sp)), None)
            value = next((sp for sp in values if sp.article == aid and _valid(a, sp)), None)
            name = _h(self.name(aid))
            if span is None and value is not None:
                span, value = value, None
            if span is None:
                chips.append(f'<a class="cite" href="#src-{n}" aria-label="Source {n}: {name}">{name} '
                             f'<span class="n">[{n}]</span></a>')
                continue
            self._n += 1
            ev = f"ev-{self._n}"
            other_words = aid in paraphrased
            cls, mark, how = ("cite paraphrase", "≈", " (says it in other words)") if other_words else ("cite", "", "")
            chips.append(f'<a class="{cls}" href="#{ev}" aria-label="Source {n}, {name}: show the cited passage{how}">'
                         f'{name} <span class="n">[{n}{mark}]</span></a>')
            self._pending.append(self._evidence(ev, a, n, span, value, other_words))
        return " ".join(chips)

    def _evidence(self, ev: str, a: Article, n: int, span: Span, value: Span | None, other_words: bool = False) -> str:
        hi = value if value is not None and span.start <= value.start and value.end <= span.end else span
        self.wrapped.setdefault(a.id, set()).add((hi.start, hi.end))
        text = a.text
        lo, up, cut_lo, cut_up = _context(text, span.start, span.end)
        before = text[lo:hi.start]
        after = text[hi.end:up]
        quote = (("… " if cut_lo else "") + html.escape(_safe(before))
                 + f'<mark class="cited{" paraphrase" if other_words else ""}">'
                 f"{html.escape(_safe(text[hi.start:hi.end]))}</mark>" + html.escape(_safe(after))
                 + (" …" if cut_up else ""))
        where = " · ".join(x for x in (f"<strong>{_h(outlet_display(a))}</strong> [{n}]",
                                       f"<cite>{_h(a.title)}</cite>" if a.title else "", _h(_date_label(a.date))) if x)
        return (f'<div class="ev" id="{ev}" role="group" aria-label="Cited passage from source {n}">'
                f'<div class="ev-head"><span>{where}</span>'
                f'<a href="#t{n}-{hi.start}-{hi.end}">in the full article</a></div>'
                f"<blockquote>{quote}</blockquote></div>")

    def evidence(self) -> str:
        out = "".join(self._pending)
        self._pending = []
        return out


def _valid(a: Article, sp: Span) -> bool:
    return 0 <= sp.start < sp.end <= len(a.text)


def _context(text: str, start: int, end: int, room: int = 280) -> tuple[int, int, bool, bool]:
    """The paragraph around [start, end), at most `room` characters either side, cut at word
    boundaries: (from, to, cut before, cut after)."""
    lo = text.rfind("\n\n", 0, start)
    lo = 0 if lo < 0 else lo + 2
    up = text.find("\n\n", end)
    up = len(text) if up < 0 else up
    cut_lo = cut_up = False
    if start - lo > room:
        cut = text.find(" ", start - room, start)
        lo, cut_lo = (cut + 1 if 0 <= cut < start else start - room), True
    if up - end > room:
        cut = text.rfind(" ", end, end + room)
        up, cut_up = (cut if cut > end else end + room), True
    return lo, up, cut_lo, cut_up


def _full_text(a: Article, n: int, spans: set[tuple[int, int]]) -> str:
    """The article's text with every cited span wrapped in its own element (id t{n}-{start}-{end},
    highlighted on :target); spans that cross another are left unwrapped."""
    text = a.text
    order = sorted(spans, key=lambda p: (p[0], -p[1]))
    kept: list[tuple[int, int]] = []
    stack: list[tuple[int, int]] = []
    for s, e in order:
        while stack and stack[-1][1] <= s:
            stack.pop()
        if stack and e > stack[-1][1]:
            continue  # crosses an open span
        kept.append((s, e))
        stack.append((s, e))
    events: list[tuple[int, int, str]] = []
    for s, e in kept:
        events.append((s, 1, f'<span class="cited" id="t{n}-{s}-{e}">'))
        events.append((e, 0, "</span>"))
    events.sort(key=lambda x: (x[0], x[1]))
    out, pos = [], 0
    for at, _kind, tag in events:
        out.append(html.escape(_safe(text[pos:at])))
        out.append(tag)
        pos = at
    out.append(html.escape(_safe(text[pos:])))
    return "".join(out)


def to_html(brief: Brief, show_removed: bool = False, now: datetime | None = None) -> str:
    """One self-contained HTML page (no script); every piece of article text is escaped."""
    v = _HtmlView(brief)

    def e(text: str | None) -> str:
        return html.escape(_safe(text))

    title = e(brief.title or "Brief")
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{title}</title><style>{_CSS}</style></head><body>",
        '<main id="brief">',
        f"<h1>{title}</h1>",
        f'<p class="meta">{_h(coverage_line(brief))}</p>',
    ]
    out += mode_html(brief)
    if brief.stories:
        out.append(_stories_html(brief))
    out.append('<p class="hint">Each citation names the outlet; follow it to see the cited words, highlighted, '
               "right under the claim.</p>")
    out.append(f'<section class="nb-summary"><h2>{SECTION_TITLES["summary"]}</h2><ul class="items summary">')
    for i, s in enumerate(brief.summary):
        chips = v.cite(s.sources, s.spans, paraphrased=_paraphrased(s))
        attrs = _disputed_attributes(brief, s)
        flag = (' <a class="note" href="#sec-conflicts">disputed by other sources: '
                f'{_h("; ".join(attrs))}</a>' if attrs else "")
        out.append(f'<li id="claim-{i + 1}"><span class="claim">{e(s.text)}</span>{flag} {chips}{v.evidence()}</li>')
    out.append("</ul></section>")
    out += changes_html(brief, v)
    sections = _sections_html(brief.analysis, v)
    if sections:
        out.append(sections)
    out.append(_sources_html(brief, v, show_removed))
    out += earlier_sources_html(brief)
    warnings = [w for w in brief.warnings if not _story_warning(brief, w)]
    if warnings:
        out.append("<section><h2>Warnings</h2><ul>" + "".join(f"<li>{e(w)}</li>" for w in warnings) + "</ul></section>")
    removed = _removed_count(brief)
    if removed and not show_removed:
        out.append(f'<p class="hint">The cleaner removed {_plural(removed, "piece")} of boilerplate or repetition '
                   "(make the report with <code>--show-removed</code> to list them).</p>")
    out.append(f"</main><footer>{_h(provenance_line(brief, now))}"
               + (" · removed pieces listed" if show_removed else "") + "</footer>")
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


def changes_html(brief: Brief, v: _HtmlView) -> list[str]:
    """Update briefs: the figures set against the earlier ones, both sides cited."""
    if not brief.changes:
        return []
    items = []
    for c in brief.changes:
        old = c.old.citations[0].text if c.old.citations else c.old.display
        new = c.new.citations[0].text if c.new.citations else c.new.display
        items.append(f"<li><strong>{_h(c.measure)}</strong>: {_h(c.text)} — "
                     f"now <q>{_h(new)}</q> {v.cite(c.new.sources, c.new.sentences, c.new.citations)}, "
                     f"earlier <q>{_h(old)}</q> {v.cite(c.old.sources, c.old.sentences, c.old.citations)}"
                     f"{v.evidence()}</li>")
    return [f'<section class="nb-changes"><h2>{SECTION_TITLES["changes"]}</h2><ul class="items">'
            + "".join(items) + "</ul></section>"]


def earlier_sources_html(brief: Brief) -> list[str]:
    """Update briefs: the earlier coverage, numbered after the new articles."""
    if not brief.earlier:
        return []
    out = ['<section class="nb-earlier"><h2>Earlier coverage (the update is made since these)</h2>',
           f'<ol class="source-list earlier" start="{len(brief.articles) + 1}">']
    for n, a in enumerate(brief.earlier, len(brief.articles) + 1):
        meta = " — ".join(x for x in (_h(_date_label(a.date)), _url_html(a.url)) if x)
        out.append(f'<li id="src-{n}"><strong>{_h(outlet_display(a))}</strong> — {_h(a.title or a.id)}'
                   + (f" — {meta}" if meta else "")
                   + f'<div class="fulltext" tabindex="0">{_h(a.text)}</div></li>')
    out.append("</ol></section>")
    return out


def _stories_html(brief: Brief) -> str:
    items = []
    for s in brief.stories:
        names = _names(s, _h)
        mark = "<strong>briefed here</strong>" if s.briefed else "not in this brief"
        items.append(f"<li>Story {s.number}, “{_h(s.title)}” ({_plural(len(s.articles), 'article')}: {names})"
                     f" — {mark}</li>")
    return (f'<div class="stories" role="note"><strong>This input covers {len(brief.stories)} unrelated stories.'
            "</strong>"
            f"<ul>{''.join(items)}</ul>Brief another with <code>--story N</code> "
            "(or <code>--story all</code> for everything together).</div>")


def _sources_html(brief: Brief, v: _HtmlView, show_removed: bool) -> str:
    n_sum = len(brief.summary)
    out = [f'<section class="nb-outlets" id="sec-outlets"><h2>{SECTION_TITLES["outlets"]}</h2><ul class="items">']
    for o in brief.outlets:
        name, wires = (_h(x) for x in _coverage_name(brief, o))
        nums = " ".join(f'<a href="#src-{k}">[{k}]</a>' for k in (brief.citation_number(a) for a in o.articles))
        out.append(f"<li><strong>{name}</strong>{wires} {nums}: {_plural(len(o.articles), 'article')}, "
                   f"cited in {o.summary_sentences} of {n_sum} summary sentences</li>")
    out.append('</ul><ol class="source-list">')
    for n, a in enumerate(brief.articles, 1):
        why = brief.not_summarised.get(a.id)
        meta = " — ".join(x for x in (_h(_date_label(a.date)), _url_html(a.url),
                                       f"<em>not summarised: {_h(why)}</em>" if why else "") if x)
        head = a.title or (a.path.rsplit("/", 1)[-1] if a.path else f"article {n}")
        out.append(f'<li id="src-{n}"><strong>{_h(outlet_display(a))}</strong> — {_h(head)}'
                   + (f" — {meta}" if meta else ""))
        out.append(f'<div class="fulltext" tabindex="0" aria-label="Full text of source {n}">'
                   f"{_full_text(a, n, v.wrapped.get(a.id, set()))}</div>")
        if show_removed and a.removed:
            out.append(f"<p>Removed by the cleaner ({len(a.removed)}):</p><ul>")
            out += [f'<li><span class="reason">{_h(r.reason)}</span>: {_h(r.text)}</li>' for r in a.removed]
            out.append("</ul>")
        out.append("</li>")
    out.append("</ol></section>")
    return "\n".join(out)


def _url_html(url: str) -> str:
    u = (url or "").strip()
    if re.match(r"^https?://[^\s\"'<>]+$", u):
        return f'<a href="{html.escape(u, quote=True)}" rel="noopener noreferrer nofollow">{_h(u)}</a>'
    return _h(u)


def sections_html(a: Analysis, cite_html: Cite) -> str:
    """The analysis sections in HTML; `cite_html(article_ids)` gives trusted citation markup."""
    return _sections_html(a, _HtmlView(None, cite_html))


def _sections_html(a: Analysis, v: _HtmlView) -> str:
    out: list[str] = []
    for section in _sections(a):
        items = _section_items(a, section)
        if not items:
            continue
        rows: list[str] = []
        if section == "over_time":
            for c in items:
                steps = " → ".join(f"<q>{_h(_side_text(s))}</q> "
                                   f"{v.cite(s.sources, s.sentences or s.citations, s.citations)}" for s in c.sides)
                note = f'<p class="note">{_h(c.note)}</p>' if c.note else ""
                attr = c.attribute[:1].upper() + c.attribute[1:]
                rows.append(f"<strong>{_h(attr)}</strong>: {steps}{note}{v.evidence()}")
        elif section == "conflicts":
            number = {id(c): i for i, c in enumerate(a.conflicts, 1)}  # ids match SummarySentence.disputed + 1
            for c in items:
                i = number[id(c)]
                sides = []
                for s in c.sides:
                    sent = strip_dateline(s.sentences[0].text) if s.sentences else ""
                    chips = v.cite(s.sources, s.sentences or s.citations, s.citations)
                    sides.append(f'<div class="side"><div class="value">“{_h(_side_text(s))}”</div>'
                                 f'<div class="sentence">{_h(_short(sent, 60))}</div>{chips}</div>')
                note = f'<p class="note">Note: {_h(c.note)}</p>' if c.note else ""
                attr = c.attribute[:1].upper() + c.attribute[1:]
                rows.append(f'<li id="conflict-{i}"><strong>{_h(attr)}</strong>'
                            f'<div class="sides">{"".join(sides)}</div>'
                            f"{note}{v.evidence()}</li>")
        elif section == "agreements":
            for g in items:
                words = []
                seen: set[str] = set()
                for c in g.sides[0].citations:
                    if (c.text, c.article) in seen:
                        continue
                    seen.add((c.text, c.article))  # type: ignore[arg-type]
                    words.append(f"<q>{_h(c.text)}</q> {v.cite([c.article], [c])}")
                attr = g.attribute[:1].upper() + g.attribute[1:]
                rows.append(f"{_h(attr)}: " + ", ".join(words) + v.evidence())
        elif section == "quotes":
            for q in [q for q in items if _direct(q)] + [q for q in items if not _direct(q)]:
                who, role = _who(q)
                role_h = f' <span class="role">({_h(role)})</span>' if role else ""
                chips = v.cite(q.sources, q.citations)
                if _direct(q):
                    line = f'<q>{_h(q.text)}</q> — <span class="who">{_h(who)}</span>{role_h} {chips}'
                else:
                    line = f'<span class="who">{_h(who)}</span>{role_h} said {_h(q.text)} {chips}'
                differ = _speakers_by_outlet(q, v.name)
                if differ:
                    line += ('<p class="note">Outlets name different speakers: '
                             + "; ".join(f"{_h(o)}: {_h(w)}" for o, w in differ) + "</p>")
                rows.append(line + v.evidence())
        elif section == "single_source":
            for single in items:
                rows.append(f"{_h(strip_dateline(single.text))} — only {v.cite([single.source], single.citations)}"
                            + v.evidence())
        elif section == "consensus":
            for claim in items:
                rows.append(f"{_h(strip_dateline(claim.text))} {v.cite(claim.sources, claim.citations)}" + v.evidence())
        elif section == "timeline":
            for ev in items:
                tags = [t for t in ("date estimated" if ev.estimated else "",
                                    ev.kind if ev.kind in ("later event", "background") else "") if t]
                tag = f" <span class=\"role\">({', '.join(tags)})</span>" if tags else ""
                rows.append(f"<strong>{_h(ev.label)}</strong>{tag}: {_h(_short(strip_dateline(ev.event), 30))} "
                            f"{v.cite(ev.sources, ev.citations)}" + v.evidence())
        elif section == "entities":
            for ent in items:
                rows.append(f"<strong>{_h(ent.name)}</strong> ({_h('; '.join(_entity_bits(ent)))}) "
                            f"{v.cite(ent.sources, ent.citations)}" + v.evidence())
        elif section == "framing":
            for f in items:
                terms = []
                for t in f.terms:
                    term = f"<q>{_h(t.citation.text)}</q> {v.cite([f.article], [t.citation])}" + (
                        " (in a quotation)" if t.quoted else "")
                    if t.neutral:
                        term += " — others: " + ", ".join(
                            f"<q>{_h(n.text)}</q> {v.cite([n.article], [n.citation])}" for n in t.neutral)
                    terms.append(term)
                who = v.name(f.article) if v.brief is not None else (f.source or "")
                rows.append(f"<strong>{_h(who)}</strong> uses: " + "; ".join(terms) + v.evidence())
        else:
            for item in items:
                extra = getattr(item, "note", None)
                rows.append(f"{_h(_primary_text(item))} {v.cite(_item_sources(item), _item_spans(item))}"
                            + (f' <span class="note">{_h(extra)}</span>' if isinstance(extra, str) and extra else "")
                            + v.evidence())
        shown = SHOWN.get(section, len(rows))
        body = "".join(f"<li>{r}</li>" if not r.startswith("<li") else r for r in rows[:shown])
        more = ""
        if len(rows) > shown:
            rest = "".join(f"<li>{r}</li>" for r in rows[shown:])
            more = (f'<details class="more"><summary>+{len(rows) - shown} more</summary>'
                    f'<ul class="items">{rest}</ul></details>')
        sec = section.replace("_", "-")
        out.append(f'<section class="nb-{sec}" id="sec-{section}"><h2>{_h(title_for(section))}</h2>'
                   f'<ul class="items">{body}</ul>{more}</section>')
    return "\n".join(out)
