"""Framing: the loaded or evaluative words each source uses about the actors, as evidence.

No score: each hit is the exact words with their citation, what they are about (a person or a
national group), whether they sit inside a quotation (then they are the speaker's words, carried by
the outlet), and the neutral wording other sources use for the same actor (their stated roles, or
"US forces"/"US military" for a national group), each with its citation.
"""

from __future__ import annotations

import re

from newsbrief.analysis._text import span
from newsbrief.analysis.entities import NATIONALITY
from newsbrief.analysis.quotes import quote_spans
from newsbrief.text.tokens import word_tree
from newsbrief.text.wordlists import LOADED_TERMS

LOADED = LOADED_TERMS  # term -> category
_TERM = re.compile(r"(?<![\w-])(" + word_tree(LOADED) + r")(?![\w-])", re.I)
_NAT = re.compile(r"\b(American|Americans|US|U\.S\.|USA|United States|Iranian|Iran|Iraqi|Iraq|British|Britain|Bush|Tehran|Washington)\b")
_NEUTRAL_GROUP = r"(?:{nat})(?:['’]s?)?\s+(?:{nouns})\b"
_NOUNS = {"forces": "military|forces|troops|soldiers|army", "military": "military|forces|troops|soldiers|army",
          "troops": "military|forces|troops|soldiers|army", "soldiers": "military|forces|troops|soldiers|army",
          "army": "military|forces|troops|soldiers|army", "government": "government|administration|officials"}


def _nat_key(word: str) -> str | None:
    w = word.lower()
    if w == "bush":
        return "US"
    return NATIONALITY.get(w)


def _nat_variants(key: str) -> str:
    names = [k for k, v in NATIONALITY.items() if v == key] + (["U.S."] if key == "US" else [])
    return "|".join(sorted({re.escape(n) for n in names} | {re.escape(n.upper()) for n in names}
                           | {re.escape(n.capitalize()) for n in names}, key=len, reverse=True))


def find_framing(articles, entities: list[dict], ent_ctx: dict) -> list[dict]:
    order = [a.id for a in articles]
    persons = [e for e in entities if e["type"] == "person"]
    mentions = [m for m in ent_ctx.get("mentions", []) if m.text in ent_ctx.get("resolver", {})]
    resolver = ent_ctx.get("resolver", {})
    out = []
    for a in articles:
        text = a.text
        quotes = [(qs, qe) for _, qs, qe, _ in quote_spans(text)]
        terms = []
        for m in _TERM.finditer(text):
            term = m.group(1)
            low = term.lower()
            if low in ("regime", "regimes") and not re.search(r"[A-Z]\w+(?:['’]s?)?\s*$", text[max(0, m.start() - 25):m.start()]):
                continue  # "regime" only as a label for a named government ("Bush regime")
            if low == "criminal" and not re.match(r"\s+(?:regime|gang|government)", text[m.end():]):
                continue
            quoted = any(qs - 1 <= m.start() and m.end() <= qe + 1 for qs, qe in quotes)
            # the phrase: the term with its adjacent actor words
            target, kind, ts, te = _target(text, m.start(), m.end(), a.id, mentions, resolver)
            ps, pe = min(ts, m.start()), max(te, m.end())
            item = {
                "term": term,
                "category": LOADED[low],
                "quoted": quoted,
                "target": target,
                "target_kind": kind,
                "citation": span(a.id, text, ps, pe),
                "neutral": [],
            }
            if kind == "person":
                ent = next((e for e in persons if e["name"] == target), None)
                if ent:
                    for r in ent["roles"]:
                        for c in r["citations"]:
                            if c["article"] != a.id:
                                item["neutral"].append({"text": r["text"], "article": c["article"], "citation": c})
            elif kind == "group" and target:
                nat, noun = target.split()[0], target.split()[-1]
                pat = re.compile(_NEUTRAL_GROUP.format(nat=_nat_variants(nat), nouns=_NOUNS.get(noun, noun)))
                for other in articles:
                    if other.id == a.id:
                        continue
                    for mm in pat.finditer(other.text):
                        if _TERM.search(other.text[max(0, mm.start() - 20):mm.start()]):
                            continue  # "occupying US military" is not neutral
                        item["neutral"].append({"text": mm.group(0), "article": other.id,
                                                "citation": span(other.id, other.text, mm.start(), mm.end())})
                        break
            # keep the evidence short: at most 3 neutral alternatives from different sources
            seen, neutral = set(), []
            for n in item["neutral"]:
                if n["article"] not in seen:
                    seen.add(n["article"])
                    neutral.append(n)
            item["neutral"] = sorted(neutral, key=lambda n: order.index(n["article"]))[:3]
            terms.append(item)
        if terms:
            out.append({"article": a.id, "source": a.label(), "terms": terms})
    return out


def _target(text: str, s: int, e: int, aid: str, mentions, resolver) -> tuple[str | None, str | None, int, int]:
    """The actor a loaded term is about: the person named right after/before it, or a national group."""
    after = text[e:e + 40]
    for m in mentions:
        if m.article == aid and e <= m.start <= e + 3 + len(re.match(r"\s*", after).group()):
            return resolver[m.text], "person", s, m.end
    before = text[max(0, s - 40):s]
    for m in mentions:
        if m.article == aid and s - 3 <= m.end <= s and m.end > s - 40:
            return resolver[m.text], "person", m.start, e
    # a national group: "American invaders", "occupying US military", "Bush regimes’ puppet"
    na = re.match(r"[\"”’']?\s*(?:the\s+)?(" + _NAT.pattern + r")(?:['’]s?)?(\s+(?:military|forces|troops|army|government|soldiers))?", after)
    if na:
        key = _nat_key(na.group(1))
        if key:
            noun = (na.group(3) or " forces").strip()
            return f"{key} {noun}", "group", s, e + na.end()
    nb = re.search(r"(" + _NAT.pattern + r")(?:['’]s?)?\s*$", before)
    if nb:
        key = _nat_key(nb.group(1))
        if key:
            noun = "government" if "regime" in text[s:e].lower() else "forces"
            return f"{key} {noun}", "group", s - len(before) + nb.start(), e
    return None, None, s, e
