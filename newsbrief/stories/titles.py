"""Headlines for the story index: an article's own headline, else one made from its lead sentence.

Wire copy often comes without a headline ("NAIROBI, Kenya (AP) _ Solemn-faced Kenyans whose
relatives were killed in the U.S. Embassy bombing said Thursday ..."): the index should not show
that whole first sentence. :func:`headline_from_text` keeps its main clause: the dateline, a
leading "In a ...," phrase, the attribution ("..., officials said Thursday") and what follows a
clause break after the first words are dropped, and the result is cut to ``MAX_WORDS`` at a word
boundary.
"""

from __future__ import annotations

import re

MAX_WORDS = 14

# "NAIROBI, Kenya (AP) _ ", "WASHINGTON _ ", "MOSCOW, March 31 (Xinhua) -- ", "BEIJING (AP) -- "
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z.'\-]+(?:\s+[A-Z][A-Z.'\-]+)*)"  # the city, in capitals
    r"(?:,\s*[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*)*)?"  # ", Kenya" / ", Russia"
    r"(?:,?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2})?"  # ", March 31"
    r"\s*(?:\([^)]{1,40}\))?\s*(?:_|--|—|–|-|:)\s+"
)
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\"'’”])[.!?](?=\s+[\"'“‘(]?[A-Z]|\s*$)")
_ATTRIBUTION = re.compile(
    r",?\s+(?:(?:a|an|the|his|her|their|its)\s+)?[\w.'\- ]{0,40}?\b(?:said|says|reported|reports|announced|"
    r"told\s+[\w.'\- ]{1,40}?|according to\s+[\w.'\- ]{1,60}?)"
    r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|late\s+\w+|"
    r"early\s+\w+))?\s*$",
    re.I,
)
_ATTRIBUTION_SPAN = 200  # longer than any match of _ATTRIBUTION (its parts are bounded)
_ATTRIBUTION_WORDS = ("said", "says", "report", "announced", "told", "according to")
_ATTRIBUTION_LEAD = 60  # a match starts at most this many characters before its verb
_LEADING_PHRASE = re.compile(r"^(?:In|On|At|After|Before|With|Amid|Despite|For|As)\b[^,]{0,60},\s+(?=[A-Z])")
_CLAUSE_BREAK = re.compile(
    r",\s+(?:who|which|where|while|but|and|as|after|saying|amid|despite|even)\b|;|\s[—–]\s|\s--\s")


_ABBREVIATIONS = set("dr gen mr mrs ms sen rep gov lt col sgt capt cmdr adm maj st jr sr prof rev gens reps sens "
                     "inc corp co ltd no vs jan feb mar apr aug sept sep oct nov dec mt ft".split())


def first_sentence(text: str) -> str:
    head = " ".join(text.strip().split("\n\n", 1)[0].split())[:400]
    for m in _SENTENCE_END.finditer(head):
        word = head[: m.start()].rsplit(None, 1)[-1].lower().strip("\"'“(")
        if word in _ABBREVIATIONS or (len(word) <= 3 and "." in word) or (len(word) == 1):
            continue  # "Dr. Barnett Slepian", "U.S. officials", "Gen. Augusto Pinochet"
        return head[: m.start()]
    return head


def strip_dateline(s: str) -> str:
    """s without a leading wire dateline ("WASHINGTON _ ", "BEIJING (AP) -- ")."""
    return _DATELINE.sub("", s, count=1) if _DATELINE.match(s) else s


def _attribution_from(s: str) -> int:
    """Where an _ATTRIBUTION match can start (len(s) when none can): it is anchored at the end, no
    longer than _ATTRIBUTION_SPAN, and its verb comes within _ATTRIBUTION_LEAD of its start."""
    tail = max(0, len(s) - _ATTRIBUTION_SPAN)
    low = s[tail:].lower()
    found = [i for i in (low.find(w) for w in _ATTRIBUTION_WORDS) if i >= 0]
    return tail + max(0, min(found) - _ATTRIBUTION_LEAD) if found else len(s)


def headline_from_text(text: str) -> str:
    """A headline-like title from an article's lead sentence (see the module docstring)."""
    s = first_sentence(text)
    s = strip_dateline(s)
    s = _LEADING_PHRASE.sub("", s, count=1)
    m = _ATTRIBUTION.search(s, _attribution_from(s))
    s = (s[: m.start()] if m else s).strip(" ,;:")
    words = s.split()
    m = _CLAUSE_BREAK.search(s)
    if m and len(s[: m.start()].split()) >= 5:
        s = s[: m.start()]
        words = s.split()
    if len(words) > MAX_WORDS:
        cut = words[:MAX_WORDS]
        commas = [i for i, w in enumerate(cut[:-1]) if w.endswith(",") and i >= 7]
        if commas:
            cut = cut[: commas[-1] + 1]
        while cut and cut[-1].lower().strip(",;:") in _WEAK_END:
            cut.pop()
        s = " ".join(cut).rstrip(",;:") + " …"
    else:
        s = " ".join(words)
    s = s.rstrip(" .,;:")
    return s[:1].upper() + s[1:] if s else ""


_WEAK_END = set("a an the of to in on at by for from with and or but as that which who whose its his her their "
                "is are was were be been has have had will would".split())
