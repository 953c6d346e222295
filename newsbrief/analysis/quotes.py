"""Direct and indirect quotes with their speakers.

Direct quotes are spans between quotation marks (straight or curly; a quotation left open at the
end of a paragraph runs to the paragraph end, the journalistic convention for a quote continuing
in the next paragraph) of at least MIN_WORDS words. The speaker is found, in this order:

1. right after the quote: `"...," Crocker said` / `"...," said the minister` / `"...," he told reporters`;
2. before it in the same sentence: `Qomi said: "..."`, `Hoshiyar Zebari, the Iraqi foreign minister, said: "..."`,
   or the sentence subject when the text before the quote holds a speech verb;
3. at the end of the sentence: `“...” that would help them ..., Crocker said.`;
4. otherwise the quote continues the last named speaker of the paragraph (or the previous one).

Pronouns ("he said") resolve to the person who was the subject or speaker just before; role phrases
("the American envoy", "the Iranian diplomat") to the one person whose stated roles match; names to the
full canonical name of the merged entity ("Crocker" -> "Ryan Crocker"). The same quote carried by
several outlets becomes one item with several citations.
"""

from __future__ import annotations

import re
from collections import Counter

from newsbrief.analysis._text import span
from newsbrief.analysis.entities import NATIONALITY, SPEECH_VERBS, fold, name_tokens

MIN_WORDS = 3

_NAME = r"(?:(?:de|van|von|al-|el-|da|di|le|la)[ ]?)?(?:[A-Z][\w’'.-]*(?:[ ](?:al-|bin |de |van |von )?[A-Z][\w’'-]*){0,3})"
_PRON = r"(?:[Hh]e|[Ss]he|[Tt]hey)"
_GROUP = r"(?:officials|police|authorities|investigators|witnesses|residents|sources|experts|analysts|" \
         r"Iranians|Americans|Iraqis|[A-Z][a-z]+ians)"
_DET = r"(?<![\w'’])(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Oo]ne of (?:his|her|their|the)|[Oo]ne|[Tt]wo|[Tt]hree|[Bb]oth)"
_NP = r"(?:" + _DET + r"[ ](?:[\w’'.-]+[ ]){0,4}?[a-z][a-z-]{2,}|" + _DET + r"[ ][A-Z][\w.-]*(?:[ ](?:of[ ](?:the[ ])?)?[A-Z][\w.-]*){0,4}|(?:[A-Z][a-z]+[ ])?" + _GROUP + r")"
_SPEAKER = r"(?P<spk>" + _NP + r"|" + _PRON + r"|" + _NAME + r")"
_MORE_VERBS = r"reaffirmed|repeated|repeats|stating|cites|cited|quoted|found|finds|concluded|expects|expected|writes|wrote|warn|say"
_VERB = r"(?P<verb>" + SPEECH_VERBS + r"|saying|adding|according to|telling|declaring|insisting|warning)"
_ANY_VERB = re.compile(r"\b(?:" + SPEECH_VERBS + r"|saying|adding|" + _MORE_VERBS + r")\b")
_APPOS = r"(?:,[^,\"“”]{1,100},)?"

_AFTER = re.compile(r"^[\s,–—-]*(?:" + _SPEAKER + _APPOS + r"[ ]+(?:\w+[ ]+)?" + _VERB + r"\b|(?P<verb2>"
                    + SPEECH_VERBS + r"|according to)[ ]+(?:[A-Z][\w]*['’]s?[ ](?:[a-z]+[ ]){0,3})?(?P<spk2>" + _NP + r"|" + _NAME + r"))")
_END = re.compile(r",[ ]*" + _SPEAKER + r"[ ]+(?:\w+[ ]+)?(?:" + SPEECH_VERBS + r")(?:[ ]+\w+){0,2}[ ]*[.!?]?[\s\"”]*$")
_LEAD_ADVERBIAL = re.compile(r"^(?:(?:However|But|And|Meanwhile|Later|Earlier|Still|Yet|Also|In [A-Z][\w ]{0,30}?|"
                             r"In [^,]{1,40}(?=,)|After [^,]{1,40}|On [^,]{1,30}|At [^,]{1,30}|In turn|"
                             r"For (?:his|her) part),?[ ]+)+")
_SUBJECT = re.compile(r"^" + _SPEAKER)
_INDIRECT = re.compile(_SPEAKER + _APPOS + r"[ ]+(?:\w+[ ]+)?(?P<verb>said|says|told (?:reporters|journalists|the \w+)|"
                       r"added|stated|announced|insisted|warned|claimed|confirmed|argued|believes|"
                       r"acknowledged|admitted|explained)(?:,)?(?:[ ]+however,)?[ ]+(?:that[ ]+)?(?P<clause>[^\"“”]{12,})$")
_PLURAL_PRON = {"they", "They"}


def quote_spans(text: str) -> list[tuple[int, int, int, int]]:
    """(mark_start, inner_start, inner_end, mark_end) of quotations, paragraph by paragraph."""
    out = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text):
        p0, ptext = para.start(), para.group()
        marks = [(m.start(), m.group()) for m in re.finditer(r"[\"“”]", ptext)]
        i = 0
        while i < len(marks):
            pos, ch = marks[i]
            if ch == "”":
                i += 1
                continue
            closer = "”" if ch == "“" else '"'
            j = i + 1
            while j < len(marks) and marks[j][1] != closer and not (closer == '"' and marks[j][1] == "”"):
                if closer == "”" and marks[j][1] == "“":
                    break
                j += 1
            if j < len(marks) and marks[j][1] in (closer, "”"):
                end = marks[j][0]
                out.append((p0 + pos, p0 + pos + 1, p0 + end, p0 + end + 1))
                i = j + 1
            else:  # open to the end of the paragraph
                end = len(ptext.rstrip())
                out.append((p0 + pos, p0 + pos + 1, p0 + end, p0 + end))
                i = len(marks)
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t\n":
        s += 1
    while e > s and text[e - 1] in " \t\n,":
        e -= 1
    return s, e


class _Resolver:
    """Maps speaker surfaces to canonical persons using the entity analysis."""

    def __init__(self, ent_ctx: dict, entities: list[dict]):
        self.surface = ent_ctx.get("resolver", {})
        self.persons = [e for e in entities if e["type"] == "person"]
        self.mentions = [m for m in ent_ctx.get("mentions", []) if m.text in self.surface]
        self.roles = {e["name"]: [r["text"] for r in e["roles"]] for e in self.persons}
        # the words of each person's roles, nationalities normalised (for role_np)
        self.role_words = {person: [_role_words(r) for r in roles] for person, roles in self.roles.items()}
        # name tokens -> canonical person, the first surface with those tokens winning (for name)
        self.by_tokens: dict[tuple[str, ...], str] = {}
        for v, canon in self.surface.items():
            self.by_tokens.setdefault(tuple(name_tokens(v)), canon)

    def name(self, surface: str) -> str | None:
        surface = surface.strip().rstrip(".,")
        if surface in self.surface:
            return self.surface[surface]
        return self.by_tokens.get(tuple(name_tokens(surface)))

    def role_np(self, np: str, article: str | None = None, pos: int | None = None) -> str | None:
        words = [w for w in re.findall(r"[\w.]+", fold(np).lower()) if w not in ("the", "a", "an", "his", "her", "their")]
        if not words:
            return None
        norm = [NATIONALITY.get(w, w) for w in words]
        hits = []
        for person, roles in self.role_words.items():
            for rw in roles:
                if all(w in rw for w in norm):
                    hits.append(person)
                    break
        if len(set(hits)) == 1:
            return hits[0]
        if hits and article is not None and pos is not None:
            last = [(m.start, self.surface[m.text]) for m in self.mentions
                    if m.article == article and m.start < pos and self.surface[m.text] in hits]
            if last:
                return max(last)[1]
        return None

    def role_of(self, person: str) -> str | None:
        ents = [e for e in self.persons if e["name"] == person]
        if not ents or not ents[0]["roles"]:
            return None
        def score(r):
            bare_title = len(r["text"].split()) == 1 or r["text"].lower().rstrip(".") in ("mr", "mrs", "ms", "dr", "sir")
            return (not bare_title, len(r["sources"]), "counterpart" not in r["text"].lower(), len(r["text"]))

        best = max(ents[0]["roles"], key=score)
        return best["text"]

    def persons_before(self, article: str, pos: int, lo: int) -> list[tuple[int, str, str]]:
        """(start, surface, canonical) of person mentions in [lo, pos) of the article."""
        return [(m.start, m.text, self.surface[m.text]) for m in self.mentions
                if m.article == article and lo <= m.start < pos]


def _role_words(role: str) -> list[str]:
    return [NATIONALITY.get(w, w) for w in re.findall(r"[\w.]+", fold(role).lower())]


def _sentence_at(sents, pos):
    for s in sents:
        if s.start <= pos < s.end:
            return s
    return None


def extract_quotes(articles, sentences, entities: list[dict], ent_ctx: dict) -> list[dict]:
    res = _Resolver(ent_ctx, entities)
    by_article: dict[str, list] = {}
    for s in sentences:
        by_article.setdefault(s.article, []).append(s)
    raw: list[dict] = []
    for a in articles:
        sents = sorted(by_article.get(a.id, []), key=lambda s: s.start)
        if not sents:
            continue
        raw.extend(_article_quotes(a, sents, res))
    return _merge(raw, articles)


def _para_start(text: str, pos: int) -> int:
    i = text.rfind("\n\n", 0, pos)
    return 0 if i < 0 else i + 2


def _article_quotes(a, sents, res: _Resolver) -> list[dict]:
    text = a.text
    out: list[dict] = []
    spans = quote_spans(text)
    quote_ranges = [(ms, me) for ms, _, _, me in spans]

    def in_quote(pos):
        return any(ms <= pos < me for ms, me in quote_ranges)

    # named speakers of speech verbs outside quotes (for continuation and pronouns)
    speech_subjects = []
    for s in sents:
        body = s.text
        lead = _LEAD_ADVERBIAL.match(body)
        off = lead.end() if lead else 0
        m = re.match(_SPEAKER + _APPOS + r"[ ]+(?:\w+[ ]+)?(?:" + SPEECH_VERBS + r")\b", body[off:])
        if m and not in_quote(s.start + off):
            speech_subjects.append((s.start + off, m.group("spk")))

    for ms, qs, qe, me in spans:
        qs, qe = _trim(text, qs, qe)
        quote = text[qs:qe]
        if len(quote.split()) < MIN_WORDS:
            continue
        if all(w[:1].isupper() or w.lower() in ("of", "the", "and", "for", "to", "in", "on", "a")
               for w in re.findall(r"[^\W\d_][\w’'-]*", quote)) and not re.search(r"[.!?,]$", quote):
            continue  # "United Nations Climate Change Conference": a name in quotation marks
        sent = _sentence_at(sents, ms) or _sentence_at(sents, qs)
        s_start = sent.start if sent else _para_start(text, ms)
        # the sentence may end inside the quote; look at the text after the closing mark to the next period
        after_end = text.find("\n", me)
        after_end = len(text) if after_end < 0 else after_end
        after = text[me:after_end]
        m_after_sent = re.search(r"[.!?](?:\s|$)", after)
        after_sent = after[: m_after_sent.end()] if m_after_sent else after
        spk_surface, how, spk_pos = None, None, None
        m = _AFTER.match(after) if not re.match(r"^\s*[“\"]", after) else None
        if m and (m.group("spk") or m.group("spk2")):
            spk_surface = _trim_np(m.group("spk") or m.group("spk2"))
            spk_pos = me + (m.start("spk") if m.group("spk") else m.start("spk2"))
            how = "after"
        if spk_surface is not None and not _valid_surface(spk_surface):
            spk_surface = spk_pos = how = None
        if spk_surface is None:
            found = _before_speaker(text, s_start, ms, a.id, res)
            if found:
                spk_surface, spk_pos, how = found
        if spk_surface is None:
            me2 = _END.search(after_sent)
            if me2 and _valid_surface(me2.group("spk")):
                spk_surface, spk_pos, how = me2.group("spk"), me + me2.start("spk"), "end"
        speaker, role = None, None
        if spk_surface is not None:
            speaker = _resolve(spk_surface, spk_pos, a, sents, res, out, speech_subjects)
        else:
            # continuation: the last named speaker in this paragraph, else in the previous one
            p0 = _para_start(text, ms)
            prev_p0 = _para_start(text, max(0, p0 - 2)) if p0 > 0 else 0
            cands = [(pos, who) for pos, who in speech_subjects if prev_p0 <= pos < ms]
            cands += [(q["_pos"], q["speaker"]) for q in out if q["speaker"] and prev_p0 <= q["_pos"] < ms]
            cands.sort()
            for pos, who in reversed(cands):
                c = res.name(who) or (who if who in res.roles else None)
                if c:
                    speaker = c
                    spk_surface = who
                    how = "continuation"
                    break
        if speaker and not spk_surface:
            spk_surface = speaker
        if not speaker and not spk_surface and len(quote.split()) <= 4:
            continue  # a quoted term with no speaker ("specially reserved area"): not a quote
        role = res.role_of(speaker) if speaker else None
        item = {
            "kind": "direct",
            "text": quote,
            "speaker": speaker or (_display(spk_surface) if spk_surface and not re.fullmatch(_PRON, spk_surface) else None),
            "speaker_resolved": bool(speaker) and speaker in res.roles,
            "speaker_text": spk_surface,
            "speaker_role": role,
            "how": how,
            "article": a.id,
            "_pos": ms,
            "citation": span(a.id, text, qs, qe),
            "attribution": span(a.id, text, spk_pos, spk_pos + len(spk_surface)) if spk_pos is not None and spk_surface
            and text[spk_pos:spk_pos + len(spk_surface)] == spk_surface else None,
        }
        out.append(item)

    # indirect speech: "Crocker said the Iranians had proposed ..."
    for s in sents:
        body = s.text
        if '"' in body or "“" in body or "”" in body:
            continue
        lead = _LEAD_ADVERBIAL.match(body)
        off = lead.end() if lead else 0
        m = _INDIRECT.match(body[off:])
        if not m:
            continue
        spk_surface = m.group("spk")
        if re.fullmatch(r"(?:It|This|That|There|The report|The statement)", spk_surface):
            continue
        pos = s.start + off + m.start("spk")
        speaker = _resolve(spk_surface, pos, a, sents, res, out, speech_subjects)
        if not speaker and not re.search(_GROUP, spk_surface):
            continue
        cs = s.start + off + m.start("clause")
        ce = s.end
        cs, ce = _trim(text, cs, ce)
        if text[ce - 1:ce] in ".!?":
            ce -= 1
        out.append({
            "kind": "indirect",
            "text": text[cs:ce],
            "speaker": speaker or _clean_np(spk_surface),
            "speaker_resolved": bool(speaker) and speaker in res.roles,
            "speaker_text": spk_surface,
            "speaker_role": res.role_of(speaker) if speaker else None,
            "how": "indirect",
            "article": a.id,
            "_pos": s.start,
            "citation": span(a.id, text, cs, ce),
            "attribution": span(a.id, text, pos, pos + len(spk_surface)),
        })
    return out


_FUNCTION_CAPS = {"The", "In", "On", "At", "A", "An", "But", "And", "However", "After", "Before", "While", "When",
                  "This", "That", "It", "There", "As", "For", "If", "Since", "Meanwhile", "U", "S"}


def _valid_surface(surface: str | None) -> bool:
    if not surface:
        return False
    first = surface.split()[0]
    if first in _FUNCTION_CAPS and len(surface.split()) == 1:
        return False
    return bool(_strip_titles(surface)) or bool(re.fullmatch(_PRON, surface)) or bool(re.match(_NP, surface))


def _strip_titles(surface: str) -> str:
    """'Iranian President Mahmoud Ahmadinejad' -> 'Mahmoud Ahmadinejad'; 'Mr Rumsfeld' -> 'Rumsfeld'."""
    from newsbrief.analysis.entities import TITLE_WORDS, _countries

    toks = surface.split()
    demonyms = _countries()[1]
    i = 0
    while i < len(toks) - 1 and (toks[i].lower().strip(".,") in TITLE_WORDS or toks[i].lower() in NATIONALITY
                                 or toks[i] in demonyms or toks[i].lower().strip(".") in ("mr", "mrs", "ms", "dr", "sir",
                                 "colonel", "lieutenant", "executive", "spokesman", "spokeswoman", "paper", "newspaper")):
        i += 1
    out = " ".join(toks[i:])
    return "" if out in _FUNCTION_CAPS else out


_ADV = r"(?:[ ]+(?:\w+ly|also|further|then|later|earlier|again|has|had|have|will|would|also|now|once|to))*"
_SUBJ_NAME = re.compile(r"^" + _DET + r"[ ](?:[\w’'.-]+[ ]){0,5}?(?P<name>[A-Z][\w’'-]+(?:[ ][A-Z][\w’'-]+)*)[ ]+"
                        r"(?:has|had|have|is|was|also|now|\w+ed|\w+s)\b")


def _before_speaker(text: str, s_start: int, ms: int, aid: str, res: "_Resolver"):
    """The speaker named before a quote in its sentence: the subject of the last speech verb before it."""
    before = text[s_start:ms]
    masked = re.sub(r"[“\"][^”\"]*[”\"]", lambda m: " " * len(m.group()), before)
    verbs = list(_ANY_VERB.finditer(masked))
    if not verbs:
        return None
    # "quoted X as saying": X speaks
    qa = re.search(r"\bquoted\s+(?P<spk>" + _NP + r"|" + _NAME + r")\s+[^\"“]{0,80}?as saying\b", masked)
    if qa:
        return qa.group("spk"), s_start + qa.start("spk"), "before"
    v = verbs[-1]
    gap = masked[v.end():]
    participle = v.group().endswith("ing")  # "... by saying that": the sentence subject speaks
    if len(gap) <= 120 and not participle:
        head = masked[: v.start()]
        # a person mention right before the verb (an apposition or two adverbs may sit between)
        best = None
        for m0, surface, canon in res.persons_before(aid, s_start + v.start(), max(s_start, s_start + v.start() - 160)):
            tail = text[m0 + len(surface): s_start + v.start()]
            if re.fullmatch(r"(?:,[^,\"“”]{1,100},?)?(?:[ ]+of[ ]+(?:the[ ]+)?[A-Z][\w.-]*(?:[ ][A-Z][\w.-]*)*)?,?" + _ADV + r"[ ]*", tail):
                best = (surface, m0)
        if best:
            return best[0], best[1], "before"
        m = re.search(r"(?P<spk>" + _NP + r"|" + _PRON + r")(?:,[^,\"“”]{1,100},)?,?" + _ADV + r"[ ]*$", head)
        if m and m.start() >= 0:
            surface = m.group("spk")
            # "Brazilian officials previously" / "The statement": a generic phrase
            surface = _trim_np(surface)
            if not re.fullmatch(r"(?:[Tt]hat|[Tt]his|[Ii]t)", surface) and len(surface.split()) > (1 if re.match(_DET + r"[ ]", surface) else 0):
                return surface, s_start + m.start("spk"), "before"
    # the sentence subject
    lead = _LEAD_ADVERBIAL.match(masked)
    off = lead.end() if lead else 0
    for m0, surface, canon in res.persons_before(aid, s_start + off + 60, s_start + off):
        if m0 - (s_start + off) <= 40:
            return surface, m0, "subject"
        break
    subj = _SUBJ_NAME.match(masked[off:])
    if subj and re.match(_DET, masked[off:]):
        return subj.group("name"), s_start + off + subj.start("name"), "subject"
    subj = _SUBJECT.match(masked[off:])
    if subj and _valid_surface(subj.group("spk")):
        surface = _trim_np(subj.group("spk"))
        if len(surface.split()) > 1 or not re.fullmatch(_DET, surface):
            return surface, s_start + off + subj.start("spk"), "subject"
    return None


_VERBISH = {"went", "said", "told", "has", "had", "have", "is", "was", "are", "were", "will", "would", "can", "could",
            "did", "made", "gave", "took", "further", "also", "now", "then", "again", "later", "earlier", "previously",
            "in", "of", "at", "on", "for", "by", "with", "into", "from", "to", "that", "who", "which"}


def _trim_np(np: str) -> str:
    """Cut a noun phrase at its first verb-like word: 'The President went' -> 'The President'."""
    toks = np.split(" ")
    for i, t in enumerate(toks[1:], 1):
        tl = t.lower()
        if tl == "of" and i + 1 < len(toks) and toks[i + 1][:1].isupper():
            continue  # "the Department of State"
        if tl in _VERBISH or (tl.endswith("ly") and len(tl) > 4) or (tl.endswith("ed") and i > 1):
            return " ".join(toks[:i])
    return np


def _display(surface: str) -> str | None:
    if re.match(_DET + r"[ ]", surface) or re.match(r"(?:[A-Z][a-z]+[ ])?" + _GROUP + r"$", surface):
        return _clean_np(surface)
    return _strip_titles(surface) or None


def _clean_np(np: str | None) -> str | None:
    if not np:
        return None
    return re.sub(r"^(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir)\s+", "", np).strip()


def _resolve(surface, pos, a, sents, res: _Resolver, prior_quotes, speech_subjects) -> str | None:
    surface = surface.strip()
    if re.fullmatch(_PRON, surface):
        if surface in _PLURAL_PRON:
            # "they" -> the plural group named last before ("the Iranians")
            ctx = a.text[max(0, pos - 400):pos]
            groups = list(re.finditer(r"\b(?:the|The)\s+((?:[A-Z][a-z]+(?:ians|ans|is))|officials|police|authorities|"
                                      r"protesters|rebels|militants|investigators|Iranians|Americans|Iraqis)\b", ctx))
            return ("the " + groups[-1].group(1)) if groups else None
        # the nearest preceding subject/speaker: previous quote speakers, speech subjects, sentence-initial persons
        lo = max(0, pos - 700)
        cands: list[tuple[int, str]] = []
        for q in prior_quotes:
            if q["speaker"] and lo <= q["_pos"] < pos and q["kind"] == "direct":
                cands.append((q["_pos"], q["speaker"]))
        for p, who in speech_subjects:
            c = res.name(who) or res.role_np(who)
            if c and lo <= p < pos:
                cands.append((p, c))
        for s in sents:
            if s.end <= pos and s.start >= lo:
                ms = res.persons_before(a.id, s.end, s.start)
                if ms:
                    cands.append((ms[0][0], ms[0][2]))  # the first person of the sentence: its subject, mostly
        if not cands:
            return None
        cands.sort()
        return cands[-1][1]
    c = res.name(surface) or res.name(_strip_titles(surface))
    if c:
        return c
    if re.match(r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er)\s", surface):
        return res.role_np(surface, a.id, pos)
    return None


def _norm(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text).lower())


def _same_quote(a: list[str], b: list[str]) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    sa, sb = " ".join(a), " ".join(b)
    short, long_ = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    if len(short.split()) >= 5 and short in long_:
        return True
    ja = set(a) & set(b)
    return len(ja) / max(1, len(set(a) | set(b))) >= 0.8 and min(len(a), len(b)) >= 5


def _merge(raw: list[dict], articles) -> list[dict]:
    order = [x.id for x in articles]
    groups: list[list[dict]] = []
    keys: list[list[str]] = []
    for q in raw:
        toks = _norm(q["text"])
        for g, k in zip(groups, keys):
            if g[0]["kind"] == q["kind"] and _same_quote(k, toks):
                g.append(q)
                break
        else:
            groups.append([q])
            keys.append(toks)
    out = []
    for g in groups:
        named = Counter(q["speaker"] for q in g if q["speaker_resolved"])
        any_ = Counter(q["speaker"] for q in g if q["speaker"])
        speaker = (named or any_).most_common(1)[0][0] if (named or any_) else None
        best = max(g, key=lambda q: len(q["text"]))
        role = next((q["speaker_role"] for q in g if q["speaker"] == speaker and q["speaker_role"]), None)
        cites, attrs, seen = [], [], set()
        for q in sorted(g, key=lambda q: (order.index(q["article"]), q["_pos"])):
            key = (q["citation"]["article"], q["citation"]["start"])
            if key in seen:
                continue
            seen.add(key)
            cites.append(q["citation"])
            if q["attribution"]:
                attrs.append(q["attribution"])
        out.append({
            "kind": g[0]["kind"],
            "text": best["text"],
            "speaker": speaker,
            "speaker_role": role,
            "speaker_resolved": bool(named),
            "sources": sorted({q["article"] for q in g}, key=order.index),
            "citations": cites,
            "attributions": attrs,
        })
    out.sort(key=lambda q: (q["kind"] != "direct", -len(q["sources"]), order.index(q["sources"][0]),
                            q["citations"][0]["start"]))
    return out
