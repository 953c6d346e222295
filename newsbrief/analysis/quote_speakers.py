"""Who said a quote: the rules' candidates ranked by a learned linear model (issue 13).

The rules of `quotes.py` find one source per quote. Here each quote gets a set of candidate speakers:

- speaker phrases: the rules' own source, the sources of every speech cue in the quote's sentence, the two
  sentences before and the one after (same or previous paragraph), and the person mentions of its sentence;
- readings of each phrase: a name as written; a pronoun (he / she) or a definite description ("the senator")
  read as the rules resolve it, or as any other person mentioned or speaking in the sentences before (up to 8,
  within 3 paragraphs); a description also read as unnamed.

Each candidate is described by sparse features (where the phrase is: same sentence, before / after the quote,
adjacent, the cue and its order "X said" / "said X", the sentence's subject; what the reading is: a name, its
entity type, how often and how recently it is mentioned, whether it spoke before, whether it is the subject of the
sentence where it was last mentioned, gender agreement from the text and from a first-name list, whether the
quote before or after in the paragraph has this speaker ...), and a weight vector (pairwise logistic regression)
scores them; the best one is the quote's speaker. A "they" / "we" source in the quote's own sentence is kept. The
weights are trained by scripts/train_quote_speakers.py on PolNeAR and read from data/quote_speakers.json: plain
Python at run time.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
COLLECT = False  # training: every quote keeps its candidates and their features in q.extra["candidates"]
_MODEL: dict | None = None
_NAMES: dict[str, str] | None = None
_PARTICLES = {"de", "van", "von", "bin", "al", "da", "di", "du", "le", "la", "del", "der", "jr.", "jr", "sr.", "iii"}
_DEFINITE = {"the", "this", "that"}


def model() -> dict:
    """The trained weights ({} when the file is missing: the rules' choice stands)."""
    global _MODEL
    if _MODEL is None:
        p = DATA / "quote_speakers.json"
        _MODEL = json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}
    return _MODEL


def first_name_gender(name: str) -> str | None:
    """m / f for a full name's first word from data/first_names.json (see scripts/make_first_names.py)."""
    global _NAMES
    if _NAMES is None:
        p = DATA / "first_names.json"
        _NAMES = json.loads(p.read_text(encoding="utf-8"))["names"] if p.exists() else {}
    words = name.split()
    if len(words) < 2:
        return None
    return _NAMES.get(words[0].lower().strip("."))


def _bucket(n: int, edges=(0, 1, 2, 3, 5, 8)) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return "more"


class _Cand:
    __slots__ = ("src", "feats", "rule")

    def __init__(self, src, feats: dict[str, float], rule: bool):
        self.src = src
        self.feats = feats
        self.rule = rule


def rank(a, quotes, events, speakers, sent_bounds, para_of, masked: str, index, weights: dict | None = None) -> None:
    """Set each direct / partial quote's source to its best candidate (in place)."""
    from newsbrief.analysis import quotes as qm

    w = weights if weights is not None else model().get("weights")
    if not w and not COLLECT:
        return
    text = a.text
    if not sent_bounds:
        return
    starts = [b[0] for b in sent_bounds]

    def sent_of(pos: int) -> int:
        return max(0, bisect_right(starts, pos) - 1)

    persons = [p for p in index.persons_before(a, len(text) + 1, 0) if masked[p[0]:p[0] + 1] != "§"]
    p_starts = [p[0] for p in persons]
    count = Counter(c for _, c, _ in persons)
    top = count.most_common(1)[0][0] if count else None
    title = text[:max(0, text.find("\n"))].lower()
    first_in_sent: dict[int, str] = {}
    for p in persons:
        first_in_sent.setdefault(sent_of(p[0]), p[1])
    ev_by_sent: dict[int, list] = {}
    seen_ev: set[int] = set()
    for _, src, si in events:
        if id(src) not in seen_ev and si >= 0:
            seen_ev.add(id(src))
            ev_by_sent.setdefault(si, []).append(src)
    spk = sorted(speakers)
    spk_pos = [s[0] for s in spk]
    qq = [q for q in quotes if q.kind in ("direct", "partial")]
    gender_cache: dict[str, tuple[str | None, str | None]] = {}

    def genders(c: str) -> tuple[str | None, str | None]:
        g = gender_cache.get(c)
        if g is None:
            g = gender_cache[c] = (index.gender(c, a), first_name_gender(c))
        return g

    def name_feats(c: str, f: dict[str, float]) -> None:
        kind = index.kinds.get(c, "unknown")
        f["r_kind_" + kind] = 1.0
        f["r_count"] = math.log1p(count.get(c, 0))
        if c == top:
            f["r_top"] = 1.0
        words = c.split()
        if words and words[-1].lower() in title:
            f["r_in_title"] = 1.0
        f["r_words_" + _bucket(len(words), (1, 2, 3))] = 1.0
        if any(x[:1].islower() and x.lower() not in _PARTICLES for x in words):
            f["r_lower_word"] = 1.0
        if len(c) > 3 and c.isupper():
            f["r_all_caps"] = 1.0

    def readings(src, p: int, rule_speaker: str | None, pron: str | None) -> list[tuple[str, dict[str, float]]]:
        """Other persons a pronoun / description at p may stand for, with their resolution features."""
        s0 = sent_of(p)
        p0 = para_of(p)
        lo_s = max(0, s0 - 8)
        lo = sent_bounds[lo_s][0]
        k0, k1 = bisect_left(p_starts, lo), bisect_left(p_starts, p)
        last: dict[str, tuple[int, int]] = {}
        for st, c, en in persons[k0:k1]:
            if p0 - para_of(st) <= 3:
                last[c] = (st, en)
        j0, j1 = bisect_left(spk_pos, lo), bisect_left(spk_pos, p)
        spoke: dict[str, int] = {}
        for pos, c, _ in spk[j0:j1]:
            if p0 - para_of(pos) <= 3:
                spoke[c] = pos
                last.setdefault(c, (pos, pos + len(c)))
        last_speaker = spk[j1 - 1][1] if j1 > j0 else None
        compatible_speaker = None
        for _, c, g in reversed(spk[j0:j1]):
            if pron is None or g in (None, pron):
                compatible_speaker = c
                break
        order = sorted(last, key=lambda c: -last[c][0])[:8]
        out = []
        role_hits: set[str] = set()
        if pron is None:
            words = [x for x in re.findall(r"[a-z][\w.-]*", src.text.lower()) if x not in qm._DET]
            if words:
                role_hits = set(index.by_role([qm._NAT.get(x, x) for x in words[-1:]]))
        for r, c in enumerate(order):
            st, en = last[c]
            f: dict[str, float] = {"alt": 1.0}
            d = s0 - sent_of(st)
            f["a_dist_" + _bucket(d)] = 1.0
            f["a_rank_" + _bucket(r, (0, 1, 2, 3))] = 1.0
            if first_in_sent.get(sent_of(st)) == c:
                f["a_subject"] = 1.0
                if d == 1:
                    f["a_subject_prev"] = 1.0
            if qm._POSSESSIVE_AT.match(text, en):
                f["a_possessive"] = 1.0
            if c in spoke:
                f["a_spoke"] = 1.0
                f["a_spoke_dist_" + _bucket(s0 - sent_of(spoke[c]))] = 1.0
            if c == last_speaker:
                f["a_last_speaker"] = 1.0
            if c == compatible_speaker:
                f["a_last_compatible_speaker"] = 1.0
            if c == rule_speaker:
                f["a_rule"] = 1.0
            if pron:
                tg, fg = genders(c)
                f["g_text_" + ("match" if tg == pron else "none" if tg is None else "clash")] = 1.0
                f["g_first_" + ("match" if fg == pron else "none" if fg is None else "clash")] = 1.0
            else:
                f["a_desc"] = 1.0
                if c in role_hits:
                    f["a_role_match"] = 1.0
            name_feats(c, f)
            out.append((c, f))
        return out

    rule_spk_of = [q.source.speaker if q.source is not None else None for q in qq]
    for i, q in enumerate(qq):
        para = q.paragraph
        prev_spk = rule_spk_of[i - 1] if i and qq[i - 1].paragraph == para else None
        next_spk = rule_spk_of[i + 1] if i + 1 < len(qq) and qq[i + 1].paragraph == para else None
        prev_src = qq[i - 1].source if i and qq[i - 1].paragraph == para else None
        si = q.sentence if q.sentence >= 0 else sent_of(q.ms)
        if q.source is not None and q.source.pronoun not in (None, "m", "f") and sent_of(q.source.start) == si:
            continue  # "they said" / "we said": a group or the writer, not a person to find
        spans = []
        if q.source is not None:
            spans.append((q.source, "rule"))
        ids = {id(q.source)}
        for sj in range(si - 2, si + 2):
            for src in ev_by_sent.get(sj, ()):
                if id(src) not in ids and para - para_of(src.start) in (0, 1) and not (q.ms <= src.start < q.me):
                    ids.add(id(src))
                    spans.append((src, "event"))
        ss, se = sent_bounds[si]
        have = {(s.start, s.end) for s, _ in spans}
        k0, k1 = bisect_left(p_starts, ss), bisect_left(p_starts, se)
        for st, c, en in persons[k0:k1]:
            if (st, en) in have or q.ms <= st < q.me:
                continue
            have.add((st, en))
            spans.append((qm.Source(st, en, text[st:en], name=text[st:en], speaker=c, named=True), "mention"))
        cands: list[_Cand] = []
        for src, origin in spans:
            base: dict[str, float] = {}
            sj = sent_of(src.start)
            rel = max(-3, min(2, sj - si))
            ba = "b" if src.end <= q.ms else "a" if src.start >= q.me else "i"
            gap = q.ms - src.end if ba == "b" else src.start - q.me if ba == "a" else 0
            between = masked[src.end:q.ms] if ba == "b" else masked[q.me:src.start] if ba == "a" else ""
            n_between = len(re.findall(r"[A-Za-z]+", between.replace("§", " ")))
            low = src.text.lower()
            words = low.split()
            if src.pronoun in ("m", "f"):
                kind = "pron"
            elif src.pronoun:
                kind = "pron_other"
            elif origin == "mention":
                kind = "mention"
            elif src.name:
                kind = "name"
            elif words and words[0] in _DEFINITE and qm._person_description(src.text):
                kind = "desc"
            else:
                kind = "unnamed"
            base["k_" + kind] = 1.0
            base[f"x_{kind}_{rel}_{ba}"] = 1.0
            base["pos_" + str(rel) + ba] = 1.0
            base["gap_" + _bucket(gap, (2, 5, 12, 30, 80, 200))] = 1.0
            base["between_" + _bucket(n_between, (0, 1, 2, 4, 8))] = 1.0
            if origin == "rule":
                base["rule_span"] = 1.0
                how = q.how.split(",")[0] if q.how else "none"
                base["how_" + how] = 1.0
                base[f"how_{how}_{q.kind}"] = 1.0
            cue = (src.cue or "").lower()
            base["cue_" + ("said" if cue in ("said", "says", "say") else "none" if not cue else
                           "according" if cue == "according to" else "ing" if cue.endswith("ing") else "other")] = 1.0
            if cue and cue in masked[src.end:src.end + 30].lower():
                base["src_then_cue"] = 1.0
            elif cue:
                base["cue_then_src"] = 1.0
            if qm._SUBJECT_START.fullmatch(text, sent_bounds[sj][0], src.start):
                base["s_subject"] = 1.0
            if para_of(src.start) != para:
                base["other_para"] = 1.0
            if prev_src is not None and src is prev_src:
                base["prev_quote_source"] = 1.0
            base["len_" + _bucket(len(words), (1, 2, 3, 5, 8))] = 1.0
            if " who " in f" {low} ":
                base["has_who"] = 1.0
            if origin == "mention":
                after = masked[src.end:src.end + 30]
                before = masked[max(0, src.start - 20):src.start]
                if qm._CUE.match(after.lstrip(" ,")) or re.match(r"\s*(?:,[^,§]{1,40},\s*)?(?:said|says|told)\b",
                                                                  after):
                    base["m_cue_after"] = 1.0
                if re.search(r"(?:said|says|according to)\s*$", before):
                    base["m_cue_before"] = 1.0
                if qm._POSSESSIVE_AT.match(text, src.end):
                    base["m_possessive"] = 1.0
            # readings
            reads: list[tuple[Any, dict[str, float], bool]] = []
            if kind in ("pron", "desc"):
                if src.speaker and src.named:
                    f = {"read_rule": 1.0}
                    name_feats(src.speaker, f)
                    reads.append((src, f, True))
                if kind == "desc":
                    reads.append((replace(src, speaker=re.sub(r"^(?:[Tt]he)\s+", "", src.text).strip() or None,
                                          named=False), {"read_unnamed": 1.0}, not (src.speaker and src.named)))
                elif not (src.speaker and src.named):
                    reads.append((src, {"read_none": 1.0}, True))
                if origin == "rule" or rel == 0:
                    for c, f in readings(src, src.start, src.speaker if src.named else None,
                                         src.pronoun if kind == "pron" else None):
                        if src.named and c == src.speaker:
                            reads[0][1].update(f)
                            continue
                        reads.append((replace(src, speaker=c, named=True), f, False))
            else:
                f = {}
                if src.named and src.speaker:
                    f["read_named"] = 1.0
                    name_feats(src.speaker, f)
                else:
                    f["read_unnamed" if src.speaker else "read_none"] = 1.0
                reads.append((src, f, True))
            for s2, f, own in reads:
                feats = dict(base)
                feats.update(f)
                c = s2.speaker if s2.named else None
                if c and prev_spk and qm.same_speaker(c, prev_spk):
                    feats["prev_quote_same"] = 1.0
                if c and next_spk and qm.same_speaker(c, next_spk):
                    feats["next_quote_same"] = 1.0
                feats[f"q_{q.kind}_{kind}"] = 1.0
                cands.append(_Cand(s2, feats, origin == "rule" and own))
        if not cands:
            continue
        if COLLECT:
            q.extra["candidates"] = [(c.src.start, c.src.end, c.src.speaker, c.src.named, c.feats, c.rule)
                                     for c in cands]
        if not w:
            continue
        bias = w.get("_bias", 0.0)
        best = max(cands, key=lambda c: (bias + sum(w.get(k, 0.0) * v for k, v in c.feats.items()), c.rule))
        if not best.rule:
            role = qm._best_role(index.roles.get(best.src.speaker) or []) if best.src.named else None
            q.source = replace(best.src, role=role) if best.src is not q.source else best.src
            q.how = (q.how + ", " if q.how else "") + "ranked"
