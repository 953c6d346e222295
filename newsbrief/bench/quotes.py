"""PolNeAR quote attribution as a scored task: gold quotes, gold speakers, matching, cross-validation.

Used by scripts/bench_quotes.py (the task definition is in its docstring) and tests.

Gold (derived from the annotations only, never from the extractor):
- quoted stretches: text between paired quotation marks (“…”, "…", ``…'', «…», and the New York Times' ''…'')
  inside one paragraph;
- a gold quote is an attribution whose `content` holds quoted characters that are its own, i.e. not
  inside the content of a smaller attribution nested in it (then the quote belongs to the inner one);
  `direct` (>= 90 % of the content quoted) or `partial` (a quoted part of indirect speech);
- its gold speaker comes from the `source` span: a name in it; else a pronoun or definite description
  resolved through the annotations (see `gold_speaker`); else an unnamed description ("a spokesman",
  "Lebanese media"), which a prediction gets right only by pointing at that span and not naming anyone.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

POLNEAR = Path("/work/shared/data/polnear_attributions_dev.jsonl")

_QUOTED = re.compile(r"“[^“”\n]*”|\"[^\"\n]*\"|``[^`'\n]*''|«[^«»\n]*»|(?<![\w'])''(?=\S)(?:(?!'')[^\n])*''")
_PRONOUNS = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f",
             "herself": "f", "they": "p", "them": "p", "their": "p", "i": "1", "me": "1", "my": "1",
             "we": "1", "us": "1", "our": "1", "you": "2", "your": "2", "it": "n", "its": "n",
             "who": "r", "which": "r", "that": "r", "whom": "r"}
_TITLES = {"mr", "mrs", "ms", "dr", "sen", "senator", "rep", "gov", "governor", "president", "lt", "gen", "vice",
           "secretary", "former", "rev", "speaker", "house", "state", "attorney", "general", "sir", "judge",
           "justice", "mayor", "gop", "democratic", "republican", "candidate", "presidential", "nominee",
           "presumptive", "billionaire", "businessman", "chairman", "chief", "executive", "ceo", "first", "lady",
           "minister", "prime", "the", "a", "an", "u.s.", "us", "ambassador", "adviser", "aide", "spokesman",
           "spokeswoman", "campaign", "manager", "press", "director", "professor", "prof", "col", "sgt", "capt"}
_NAME_WORD = re.compile(r"(?:[A-Z][\w’'.-]*|de|van|von|al-\w+|el-\w+|da|di|du|le|la|bin)")
_PERSON_HEADS = {"president", "senator", "candidate", "nominee", "governor", "mayor", "billionaire", "businessman",
                 "congressman", "congresswoman", "secretary", "speaker", "mogul", "front-runner", "frontrunner",
                 "contender", "lawmaker", "official", "chairman", "chairwoman", "leader", "minister", "star",
                 "host", "commentator", "spokesman", "spokeswoman", "man", "woman", "actor", "actress", "executive",
                 "developer", "judge", "attorney", "lawyer", "democrat", "republican", "politician", "tycoon",
                 "son", "daughter", "wife", "husband", "former", "mr.", "mrs.", "ms."}


def norm_tokens(name: str) -> list[str]:
    toks = re.findall(r"[a-z0-9]+", name.lower().replace("’", "'").replace("'s", ""))
    return [t for t in toks if t not in _TITLES and len(t) > 1 or t.isdigit()]


def same_person(a: str | None, b: str | None) -> bool:
    """Name match: one name's words are all among the other's ("Trump" ~ "Donald Trump", not "Eric Trump")."""
    if not a or not b:
        return False
    ta, tb = set(norm_tokens(a)), set(norm_tokens(b))
    return bool(ta) and bool(tb) and (ta <= tb or tb <= ta)


_NAME_RUN = re.compile(r"(?:[A-Z][\w’'.-]*|(?<=\s)(?:de|van|von|bin|al)\b)"
                       r"(?:\s+(?:[A-Z][\w’'.-]*|(?:de|van|von|bin)\b|al-\w+))*")
_CALENDAR = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
             "march", "april", "june", "july", "august", "september", "october", "november", "december"}
_NOT_NAME_START = {"another", "one", "some", "many", "both", "each", "all", "several", "most", "others", "these",
                   "those", "this", "that", "it", "its", "monday", "tuesday", "wednesday", "thursday", "friday",
                   "saturday", "sunday", "january", "february", "march", "april", "june", "july", "august",
                   "september", "october", "november", "december", "i", "we", "you", "he", "she", "they"}


def name_in(text: str) -> str | None:
    """The proper name in a source span ("Sen. Chuck Grassley (R-Iowa)" -> "Chuck Grassley"), if any. A name
    that only modifies a noun ("John Kasich's campaign", "one Sanders supporter") is not the speaker's name;
    an apposition may carry it ("Scott's niece, state Del. Marcia Price")."""
    for part in re.split(r"[,(—–]|\bwho\b|\bwhich\b", text):
        part = re.sub(r"[\"“”][^\"“”]*[\"“”]", " ", part)  # nicknames
        runs = [r for r in _NAME_RUN.finditer(part) if not (len(r.group()) > 3 and r.group().isupper())
                and not (len(r.group().split()) == 1 and r.group().lower().strip(".") in _NOT_NAME_START)
                and r.group().split()[0].lower() not in _CALENDAR]
        if not runs:
            continue
        last = runs[-1]
        # "Sen. Tammy Baldwin of Wisconsin", "House Speaker Paul D. Ryan of Wisconsin": the titled name before "of"
        if len(runs) >= 2 and re.fullmatch(r"\s+of\s+(?:the\s+)?", part[runs[-2].end():last.start()]):
            before = runs[-2].group().split()
            titled = [i for i, w in enumerate(before) if w.lower().strip(".") in _TITLES and i < len(before) - 1]
            personal = len(before) >= 2 and all(w[:1].isupper() for w in before)  # "George Zornick of The Nation"
            if (titled or personal) and not any(w.lower().strip(".") in _ORGANS for w in before):
                last = runs[-2]
        rest = part[last.end():]
        if last is runs[-1] and (re.match(r"['’]s?\s+[a-z]", rest)
                                 or re.match(r"\s+(?!himself|herself|jr|sr)[a-z]", rest)):
            continue
        toks = last.group().split()
        # the name follows the last title word: "New Jersey Gov. Chris Christie" -> "Chris Christie"
        cut = max((i + 1 for i, w in enumerate(toks[:-1]) if w.lower().strip(".") in _TITLES
                   and w.lower().strip(".") not in ("the", "a", "an")), default=0)
        words = [w for w in toks[cut:] if w.lower().strip(".") not in _TITLES and w.lower() not in _PRONOUNS] \
            or [w for w in toks if w.lower().strip(".") not in _TITLES and w.lower() not in _PRONOUNS]
        name = re.sub(r"['’]s?$", "", " ".join(words).strip("."))
        if len(name) >= 2:
            return name
    return None


_ORGANS = {"board", "department", "committee", "council", "court", "office", "house", "senate", "party", "campaign",
           "university", "institute", "commission", "agency", "bureau", "association", "foundation", "center"}


@dataclass
class GoldQuote:
    article: str
    attribution: str  # the annotation id ("E12")
    kind: str  # direct | partial
    content: list[tuple[int, int]]
    quoted: list[tuple[int, int]]  # its own quoted character ranges
    source_text: str
    source_span: tuple[int, int] | None
    speaker: str | None = None  # the gold speaker's name, when named or resolved
    speaker_kind: str = ""  # named | resolved | unnamed | unresolvable
    resolution: str = ""  # how a pronoun/description was resolved


@dataclass
class GoldArticle:
    id: str
    publisher: str
    text: str
    quotes: list[GoldQuote] = field(default_factory=list)
    quote_contents: list[tuple[int, int]] = field(default_factory=list)  # every content with quotation marks


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _inside(inner: list[tuple[int, int]], outer: list[tuple[int, int]]) -> bool:
    total = sum(e - s for s, e in inner)
    got = sum(_overlap(x, y) for x in inner for y in outer)
    return total > 0 and got >= total and total < sum(e - s for s, e in outer)


def _gender_of(name: str, text: str) -> str | None:
    """m / f from the article's honorifics for the name's last word ("Mr. Trump", "Mrs. Clinton"), else from the
    pronoun right after its mentions ("Clinton said she ..."); None when the text does not tell."""
    last = name.split()[-1]
    m = float(len(re.findall(r"\bMr\.?\s+(?:[A-Z]\w+\s+)?" + re.escape(last) + r"\b", text)))
    f = float(len(re.findall(r"\b(?:Mrs|Ms|Miss)\.?\s+(?:[A-Z]\w+\s+)?" + re.escape(last) + r"\b", text)))
    for x in re.finditer(re.escape(last) + r"(?:['’]s)?\b[^.\n]{0,60}?\b(he|his|him|she|her)\b", text):
        if x.group(1) in ("he", "his", "him"):
            m += 0.5
        else:
            f += 0.5
    if m > f:
        return "m"
    if f > m:
        return "f"
    return None


def load_gold(path: Path = POLNEAR) -> list[GoldArticle]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        out.append(gold_article(r))
    return out


def gold_article(r: dict) -> GoldArticle:
    text = r["text"]
    g = GoldArticle(r["id"], r.get("publisher", ""), text)
    quoted = _quoted_ranges(text)
    attrs = r["attributions"]
    contents = {a["id"]: [(c["start"], c["end"]) for c in a["content"]] for a in attrs}
    for a in attrs:
        if not contents[a["id"]]:
            continue
        # PolNeAR's own flag does not see the New York Times' ''...'': quotation marks inside the content count too
        doubled = [q for q in quoted if text[q[0]:q[0] + 2] == "''" and any(_overlap(q, c) for c in contents[a["id"]])]
        if not (a["has_quote_mark"] or doubled):
            continue
        g.quote_contents.extend(contents[a["id"]])
        mine = []
        nested = [contents[b["id"]] for b in attrs if b is not a and _inside(contents[b["id"]], contents[a["id"]])]
        for q in quoted:
            if not any(_overlap(q, c) for c in contents[a["id"]]):
                continue
            if any(_overlap(q, c) >= 0.5 * (q[1] - q[0]) for n in nested for c in n):
                continue
            own = contents[a["id"]]
            inner = (max(q[0] + 1, min(c[0] for c in own)), min(q[1] - 1, max(c[1] for c in own)))
            if inner[1] - inner[0] >= 2:
                mine.append(inner)
        if not mine:
            continue
        src = a["source"]
        stext = " ".join(s["text"] for s in src)
        sspan = (src[0]["start"], src[-1]["end"]) if src else None
        size = sum(e - s_ for s_, e in contents[a["id"]])
        direct = a["direct"] or bool(doubled) and sum(e - s_ for s_, e in mine) >= 0.9 * size - 4
        g.quotes.append(GoldQuote(r["id"], a["id"], "direct" if direct else "partial", contents[a["id"]],
                                  mine, stext, sspan))
    _resolve_gold(g, attrs)
    return g


_SENT_END = re.compile(r"[.!?]+[\"”’)]*\s+(?=[\"“‘(]*[A-Z0-9])|\n\s*\n")
_SUBJECT_START = re.compile(r"[\s\"“‘(]*(?:(?:But|And|Yet|So|Then|Later|Meanwhile|Now|Also)\b,?\s*)?"
                            r"(?:(?:[A-Z][\w’'.-]*|of|the|for)\s+)*")  # only titles/names before the subject
_POSSESSIVE_AT = re.compile(r"['’]s?\b")
_ABBREV_END = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Lt|Gen|Col|Sgt|Capt|St|Jr|Sr|Rev|Prof|Pres|Del|Sens|Reps|"
                         r"Govs|No|Ft|Mt|vs|Inc|Corp|Co)|(?<![\w.])[A-Z]|[A-Z]\.[A-Z])\.$")
_CAP_RUN = re.compile(r"(?<![\w’'.-])(?:[A-Z][\w’'-]*\.?)(?:\s+(?:(?:[A-Z][\w’'-]*\.?)|de|van|von|bin|al-\w+))*")
_NOT_PERSON = {"house", "department", "party", "committee", "university", "news", "post", "times", "states", "street",
               "county", "city", "state", "court", "senate", "congress", "campaign", "office", "center", "institute",
               "foundation", "association", "journal", "network", "press", "convention", "national", "republican",
               "republicans", "democrats", "democratic", "america", "american", "americans", "united", "white",
               "new", "north", "south", "east", "west", "fox", "cnn", "msnbc", "nbc", "abc", "cbs", "twitter",
               "facebook", "god", "super", "tuesday", "monday", "wednesday", "thursday", "friday", "saturday",
               "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december", "the", "a", "an", "and", "but", "in", "on", "at", "for", "if",
               "when", "as", "it", "he", "she", "they", "we", "i", "his", "her", "their", "this", "that", "mr", "mrs",
               "ms", "dr", "sen", "rep", "gov"}
_DESC_HEADS = _PERSON_HEADS | {"justice", "neurosurgeon", "surgeon", "doctor", "physician", "actress", "comedian",
                               "anchor", "reporter", "columnist", "author", "writer", "activist", "professor",
                               "economist", "strategist", "pollster", "adviser", "advisor", "aide", "magnate",
                               "entrepreneur", "hopeful", "lady", "mogul", "veteran", "pastor", "singer", "rapper",
                               "director", "chief", "chair", "president-elect", "nominee", "standard-bearer",
                               "manager", "spokesperson", "representative", "delegate", "lieutenant", "officer",
                               "agent", "producer", "commissioner", "prosecutor", "ambassador", "diplomat", "envoy"}


def _resolve_gold(g: GoldArticle, attrs: list[dict]) -> None:
    """Gold speakers. Named: the name in the source span. A pronoun (he / she) or a definite person description
    ("the senator", "the secretary of state") resolves to the entity the annotation refers to, found as a reader
    finds it, in text order: first a person named before it in its own sentence (its subject, else the nearest; not
    a possessive, not the name a "who he" clause hangs on), then sentence by
    sentence backwards (within 3 paragraphs for pronouns, 2 for descriptions) the named or already resolved source
    of an attribution there (the last one), else that sentence's subject (its first person mention); a pronoun skips
    persons of the other gender (the article's Mr./Mrs./Ms. and pronouns after their mentions). Person names are
    the named sources of the article's attributions and the capitalised runs of two or more words that name no
    organisation or place word; names inside quotation marks are not antecedents. "who"/"which": the name just
    before it. Indefinite, plural or non-person descriptions stay unnamed; I/we/you, it, they, empty sources and
    pronouns with no such antecedent are unresolvable (left out of speaker accuracy)."""
    text = g.text
    quoted = _quoted_ranges(text)

    def in_quote(pos):
        return any(a <= pos < b for a, b in quoted)

    # sentences (quotation marks masked, so that a quoted sentence does not split its attribution) and paragraphs
    masked = list(text)
    for a, b in quoted:
        for i in range(a + 1, b - 1):
            if masked[i] != "\n":
                masked[i] = "X"
    masked_text = "".join(masked)
    bounds = [0] + [m.end() for m in _SENT_END.finditer(masked_text)
                    if not _ABBREV_END.search(masked_text, max(0, m.start() - 6), m.start() + 1)]
    para_starts = [m.end() for m in re.finditer(r"\n\s*\n", text)]

    def sent_of(pos):
        return bisect.bisect_right(bounds, pos) - 1

    def para_of(pos):
        return bisect.bisect_right(para_starts, pos)

    # person names: named sources, then capitalised runs of 2+ words (no organisation/place/calendar word)
    source_names = []
    for att in attrs:
        if att["source"]:
            n = name_in(" ".join(x["text"] for x in att["source"]))
            if n:
                source_names.append(n)
    full: dict[str, Counter] = {}  # last word -> full names with it
    for n in source_names:
        full.setdefault(n.split()[-1].lower(), Counter())[n] += 3
    for m in _CAP_RUN.finditer(text):
        if in_quote(m.start()):
            continue
        n = name_in(m.group())
        if not n:
            continue
        words = n.split()
        if len(words) >= 2 and not any(w.lower().strip(".’'") in _NOT_PERSON for w in words) \
                and not any(len(w) > 2 and w.isupper() for w in words) \
                and not any(w.endswith(".") and len(w) > 3 for w in words[:-1]) \
                and all(w[:1].isupper() for w in words if w not in ("de", "van", "von", "bin")):
            full.setdefault(words[-1].lower(), Counter())[n] += 1
    mentions: list[tuple[int, str]] = []  # (position, the full name it stands for)
    if full:
        word_rx = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(full, key=len, reverse=True)) + r")\b",
                             re.I)
        for m in word_rx.finditer(text):
            if not m.group()[:1].isupper() or in_quote(m.start()):
                continue
            names = full[m.group().lower()]
            before = text[max(0, m.start() - 40):m.start()]
            exact = [n for n in names if len(n.split()) > 1 and before.endswith(" ".join(n.split()[:-1]) + " ")]
            mentions.append((m.start(), exact[0] if exact else names.most_common(1)[0][0]))
    subject: dict[int, tuple[int, str]] = {}  # sentence -> its first person mention
    for pos, n in mentions:
        subject.setdefault(sent_of(pos), (pos, n))
    genders: dict[str, str | None] = {}

    def gender(n):
        if n not in genders:
            genders[n] = _gender_of(n, text)
        return genders[n]

    sources: list[tuple[int, str]] = []  # (position, name) of named and resolved sources, in text order

    def antecedent(pos: int, kind: str | None, paragraphs: int) -> str | None:
        ok = (lambda n: True) if kind is None else (lambda n: gender(n) in (None, kind))
        s0, p0 = sent_of(pos), para_of(pos)
        lo = bounds[s0]
        here = [x for x in mentions if lo <= x[0] < pos - 1
                and not _POSSESSIVE_AT.match(text, x[0] + len(x[1].split()[-1]))]
        if re.search(r"\bwho(?:m)?\s+$", text[max(lo, pos - 8):pos]):  # "Rubio, whom he dubbed": not Rubio
            here = here[:-1]
        if here and _SUBJECT_START.fullmatch(text, lo, here[0][0]):
            here = here[:1] + list(reversed(here[1:]))  # the sentence's subject, then the others nearest first
        else:
            here = list(reversed(here))
        for _, n in here:
            if ok(n):
                return n
        for si in range(s0 - 1, -1, -1):
            if p0 - para_of(bounds[si]) > paragraphs:
                break
            a, b = bounds[si], bounds[si + 1] if si + 1 < len(bounds) else len(text)
            spoke = [n for x, n in sources if a <= x < b and ok(n)]
            if spoke:
                return spoke[-1]
            if si in subject and ok(subject[si][1]):
                return subject[si][1]
        return None

    by_id = {q.attribution: q for q in g.quotes}
    for att in sorted((x for x in attrs if x["source"]), key=lambda x: x["source"][0]["start"]):
        stext = " ".join(x["text"] for x in att["source"]).strip()
        pos = att["source"][0]["start"]
        q = by_id.get(att["id"])
        low = stext.lower()
        first = low.split()[0] if low.split() else ""
        n = name_in(stext) if stext else None
        res, how = None, ""
        if n:
            res, how = n, "named"
        elif first in _PRONOUNS and len(low.split()) == 1:
            kind = _PRONOUNS[first]
            if kind == "r":
                before = text[max(0, pos - 80):pos]
                caps = list(re.finditer(r"[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+)*", before))
                res = name_in(caps[-1].group()) if caps else None
                how = "relative" if res else "relative pronoun"
            elif kind in ("m", "f"):
                res = antecedent(pos, kind, 3)
                how = "pronoun" if res else "pronoun without antecedent"
            else:
                how = f"pronoun '{first}'"
        else:
            core = re.split(r"\s+of\s+", low)[0]
            words = re.findall(r"[a-z][\w.-]*", core)
            if first == "the" and len(re.findall(r"[a-z][\w.-]*", low)) <= 6 and words and words[-1] in _DESC_HEADS:
                res = antecedent(pos, None, 2)
            how = "description"
        if res:
            sources.append((pos, res))
        if q is None:
            continue
        if not stext or not q.source_span:
            q.speaker_kind, q.resolution = "unresolvable", "no source"
        elif how == "named":
            q.speaker, q.speaker_kind = res, "named"
        elif res:
            q.speaker, q.speaker_kind, q.resolution = res, "resolved", how
        elif how == "description":
            q.speaker_kind, q.resolution = "unnamed", "description"
        else:
            q.speaker_kind, q.resolution = "unresolvable", how
    for q in g.quotes:
        if not q.speaker_kind:
            q.speaker_kind, q.resolution = "unresolvable", "no source"


# ------------------------------------------------------------------ predictions and scoring

@dataclass
class Predicted:
    article: str
    start: int  # the quoted words (quotation marks may be in or out)
    end: int
    speaker: str | None  # resolved name, or an unnamed description, or None
    named: bool  # the speaker is a named person / organisation
    attribution: tuple[int, int] | None  # the speaker's words in the text


def score(gold: list[GoldArticle], pred: dict[str, list[Predicted]], threshold: float = 0.5) -> dict:
    """Quote precision / recall / F1, speaker accuracy and the rate of matched quotes with no speaker.

    A predicted quote is correct when at least `threshold` of its characters lie inside the content of an
    attribution with quotation marks. A gold quote is found when one predicted quote covers at least
    `threshold` of its own quoted characters (a multi-part quote may be predicted in parts: the parts
    together count). Its speaker is judged on the prediction covering most of it."""
    tp_p = n_p = 0
    found = n_g = 0
    spk_ok = spk_n = none = 0
    by_kind = {"direct": [0, 0], "partial": [0, 0]}
    by_skind: dict[str, list[int]] = {}
    errors: list[dict] = []
    for g in gold:
        ps = pred.get(g.id, [])
        for p in ps:
            n_p += 1
            cov = sum(_overlap((p.start, p.end), c) for c in _merge_ranges(g.quote_contents))
            if cov >= threshold * max(1, p.end - p.start):
                tp_p += 1
            else:
                errors.append({"type": "false positive", "article": g.id, "text": g.text[p.start:p.end][:100]})
        for q in g.quotes:
            n_g += 1
            by_kind[q.kind][1] += 1
            total = sum(e - s for s, e in q.quoted)
            covers = [(sum(_overlap((p.start, p.end), r) for r in q.quoted), i) for i, p in enumerate(ps)]
            got = sum(c for c, _ in covers)
            if total == 0 or got < threshold * total:
                errors.append({"type": "missed", "kind": q.kind, "article": g.id,
                               "text": " | ".join(g.text[s:e] for s, e in q.quoted)[:100]})
                continue
            found += 1
            by_kind[q.kind][0] += 1
            best = ps[max(covers)[1]]
            bk = by_skind.setdefault(q.speaker_kind, [0, 0])
            if best.speaker is None:
                none += 1
            if q.speaker_kind == "unresolvable":
                continue
            spk_n += 1
            bk[1] += 1
            if q.speaker_kind == "unnamed":
                ok = not best.named and best.attribution is not None and q.source_span is not None \
                    and _overlap(best.attribution, q.source_span) > 0
            else:
                ok = best.named and same_person(best.speaker, q.speaker)
            if ok:
                spk_ok += 1
                bk[0] += 1
            else:
                errors.append({"type": "wrong speaker", "article": g.id, "gold": q.speaker or q.source_text,
                               "gold_kind": q.speaker_kind, "source": q.source_text[:60],
                               "predicted": best.speaker, "text": g.text[best.start:best.end][:80]})
    prec = tp_p / n_p if n_p else 0.0
    rec = found / n_g if n_g else 0.0
    return {"predicted": n_p, "correct": tp_p, "gold": n_g, "found": found, "precision": prec, "recall": rec,
            "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
            "speaker_n": spk_n, "speaker_ok": spk_ok, "speaker_accuracy": spk_ok / spk_n if spk_n else 0.0,
            "none_rate": none / found if found else 0.0,
            "recall_direct": by_kind["direct"][0] / max(1, by_kind["direct"][1]),
            "recall_partial": by_kind["partial"][0] / max(1, by_kind["partial"][1]),
            "n_direct": by_kind["direct"][1], "n_partial": by_kind["partial"][1],
            "speaker_by_kind": {k: (v[0], v[1]) for k, v in by_skind.items()}, "errors": errors}


def _merge_ranges(rs):
    out: list[list[int]] = []
    for s, e in sorted(rs):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def audit(gold: list[GoldArticle], path: Path | None = None) -> dict:
    """The derived gold speakers against the hand check (tests/labels/polnear_speaker_audit.json): per item, the
    derivation agrees when it names the same person (`same_person`), or is unnamed / unresolvable as checked."""
    path = path or Path(__file__).resolve().parents[2] / "tests" / "labels" / "polnear_speaker_audit.json"
    items = json.loads(path.read_text(encoding="utf-8"))["items"]
    by_id = {(q.article, q.attribution): q for g in gold for q in g.quotes}
    ok = n = excluded = 0
    wrong = []
    for it in items:
        q = by_id.get((it["article"], it["attribution"]))
        if q is None:
            continue
        if q.speaker_kind == "unresolvable" and it["kind"] != "unresolvable":
            excluded += 1  # left out of speaker accuracy: not wrong, but lost
            continue
        n += 1
        if it["kind"] == "unnamed":
            good = q.speaker_kind == "unnamed"
        elif it["kind"] == "unresolvable":
            good = q.speaker_kind == "unresolvable"
        else:
            good = q.speaker_kind in ("named", "resolved") and same_person(q.speaker, it["speaker"])
        ok += good
        if not good:
            wrong.append({"article": it["article"], "source": it["source"], "checked": it["speaker"],
                          "derived": q.speaker, "derived_kind": q.speaker_kind})
    return {"n": n, "agree": ok, "rate": ok / n if n else 0.0, "excluded": excluded, "wrong": wrong}


def folds(gold: list[GoldArticle], k: int = 5) -> list[list[str]]:
    """k folds over articles, stable (by a hash of the article id), all annotations of an article together."""
    import zlib

    out: list[list[str]] = [[] for _ in range(k)]
    for g in gold:
        out[zlib.crc32(g.id.rsplit("_", 1)[0].encode()) % k].append(g.id)
    return out


def stratified_folds(gold: list[GoldArticle], k: int = 5) -> list[list[str]]:
    """k folds over articles, stratified by publisher: each publisher's articles, ordered by a hash of the article
    id (stable), are dealt to the folds in turn; all annotations of an article stay together."""
    import zlib

    out: list[list[str]] = [[] for _ in range(k)]
    by_pub: dict[str, list[GoldArticle]] = {}
    for g in gold:
        by_pub.setdefault(g.publisher, []).append(g)
    for pub in sorted(by_pub):
        arts = sorted({g.id.rsplit("_", 1)[0] for g in by_pub[pub]}, key=lambda a: (zlib.crc32(a.encode()), a))
        slot = {a: (i + zlib.crc32(pub.encode())) % k for i, a in enumerate(arts)}
        for g in by_pub[pub]:
            out[slot[g.id.rsplit("_", 1)[0]]].append(g.id)
    return out
