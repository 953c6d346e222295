"""Sentence compression to an exact sub-span of the source sentence: leading material only.

Only material whose removal neither changes what the sentence asserts nor leaves a fragment:

* a leading dateline: 'BAGHDAD (AFP) – ', 'CAIRO, Egypt (AP) _ ', 'CARACAS, Venezuela—', '(Reuters) - ';
* a leading discourse connective that points at a sentence the brief does not show:
  'However, ', 'Meanwhile, ', 'But ', 'And ', 'Also, ';
* a leading day reference: 'On Tuesday, ', 'Late Monday, ', 'Earlier today, ' (dates, months and
  years are kept: they place the event in time).

A cut is made only if what is left starts like a sentence (a capital letter or a quotation mark)
and is more than 20 characters long. Attribution ('X said') is never touched. Measured and dropped
(scripts/tune.py, BENCHMARKS.md): a leading 'In Baghdad, ' (no effect on ROUGE) and, inside the
sentence, appositive ages and parentheticals (+0.01 to +0.08 R-1, and it would need several spans
per summary sentence).
"""

from __future__ import annotations

import re

from newsbrief.text.months import month_pattern

_AGENCY = r"\((?:AP|AFP|Reuters|UPI|dpa|Xinhua|CNN|BBC|NYT|Bloomberg|ANSA|Kyodo|IANS|PTI|TASS|Interfax)\)"
_DASH = r"(?:\s*[—–]\s*|\s+[-_]{1,2}\s+|\s*--\s*)"
_DATELINE = re.compile(
    # 'CAIRO, Egypt (AP) _ ', 'WASHINGTON — ', 'CARACAS, Venezuela—'
    r"^(?:[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,3}(?:,\s*[A-Z][A-Za-z.'\-]+(?: [A-Z][A-Za-z.'\-]+){0,2}){0,2}"
    r"\s*(?:" + _AGENCY + r")?" + _DASH + "|"
    # 'Baghdad (AFP) - ', 'New York, Jan. 5 (Reuters) - ', '(Reuters) - '
    r"(?:[A-Z][A-Za-z.'\- ]{1,40}?(?:,\s*[A-Z][A-Za-z.'\- 0-9]{1,30}?){0,2}\s*)?"
    + _AGENCY + r"(?:" + _DASH + r"|:\s+)?\s*)"
    r"(?=[A-Z\"“'`])"
)
_CONNECTIVE = re.compile(
    r"(?:However|Meanwhile|Also|Still|But|And|Yet|Moreover|Furthermore|In addition|Additionally|Separately|"
    r"Nevertheless|Nonetheless|Indeed|Besides)(?:,\s+|\s+)"
)
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tonight|Yesterday|Today|Tonight)"
_TIME = re.compile(
    r"(?:(?:[Oo]n|[Ll]ate|[Ee]arly|[Ee]arlier|[Ll]ater)\s+)?(?:(?:late|early|earlier|on)\s+)?" + _DAY
    + r"(?:\s+(?:morning|afternoon|evening|night))?,\s+"
)
_STARTS = re.compile(r"[A-Z\"“'`‘]")
_MONTH = re.compile(month_pattern(full=True, capitalised=True) + r"\b")


def lead_cut(text: str, dateline: bool = True, lead: bool = True) -> int:
    """Characters to drop at the start of `text` (dateline, then connective / day phrases)."""
    cut = 0
    if dateline:
        m = _DATELINE.match(text)
        if m and len(text) - m.end() > 20:
            cut = m.end()
    if lead:
        # 'However, on Tuesday, President ...' stacks: peel phrases, keep the deepest cut after
        # which the text still starts like a sentence (capital letter or quotation mark)
        patterns = (_CONNECTIVE, _TIME)
        pos, best = cut, cut
        for _ in range(3):
            m = next((m for m in (p.match(text, pos) for p in patterns) if m), None)
            if not m:
                break
            pos = m.end()
            if len(text) - pos <= 20:
                break
            if _STARTS.match(text, pos) and not _MONTH.match(text, pos):
                best = pos
        cut = best
    return cut


def compressed(text: str, dateline: bool = True, lead: bool = True) -> str:
    """The compressed sentence: an exact suffix of `text`."""
    return text[lead_cut(text, dateline, lead) :]
