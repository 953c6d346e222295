"""Small helpers the cleaning passes share: normalised lines, comparison keys, sentence ends."""

from __future__ import annotations

import re

_INVISIBLE = re.compile("[\u200b\u200e\u200f\u2060\ufeff\u00ad]")  # zero-width joiners are text (👩‍⚖️)
_SPACES = re.compile("[ \t\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_TERMINAL = re.compile(r"(?:[.!?…]|\.\.\.)[\"'”’)\]»]*$")
JOINER_END = re.compile(
    r"(?:[,;:(\-–—/&]|\b(?:and|or|but|of|the|a|an|to|in|on|at|for|with|by|from|that|as|is|are|was|were))$", re.I
)
"""A line ending like this goes on in the next line ("... agreed a plan that")."""

_EMBEDDED_POST = re.compile(r"[—–-]\s*[^()]{1,60}\(@\w+\)\s+\w+\.? \d{1,2}, \d{4}$")
_PUNCT_TO_SPACE = {i: " " for i in range(0x2070) if not chr(i).isalnum() and not chr(i).isspace()}


class Line:
    """One raw line as the passes see it: its 1-based number and its (normalised, maybe trimmed) text."""

    __slots__ = ("no", "text")

    def __init__(self, no: int, text: str):
        self.no = no
        self.text = text


def normalize_line(line: str) -> str:
    """One raw line with whitespace collapsed (and invisible characters dropped: the character pass has
    already listed them in the article's text; here they may come from a page's markup)."""
    if line.isascii() and "\t" not in line and "  " not in line and "\f" not in line and "\v" not in line:
        return line.strip()
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def comparison_key(s: str) -> str:
    """Case- and punctuation-insensitive comparison key."""
    return " ".join(s.lower().translate(_PUNCT_TO_SPACE).split())


def word_count(s: str) -> int:
    return len(s.split())


def ends_sentence(s: str) -> bool:
    """True if `s` ends with final punctuation (a closing quotation mark or bracket may follow)."""
    return bool(_TERMINAL.search(s[-12:]))


def embedded_post(s: str) -> bool:
    """True for an embedded social-media post: it ends with its author and date ("— Name (@name) May 4, 2018")."""
    return "(@" in s and bool(_EMBEDDED_POST.search(s))


def has_url(s: str) -> bool:
    """Cheap test before the URL regex: a web address may be in `s`."""
    return "http" in s or "www." in s or "pic.twitter" in s or "bit.ly" in s or "t.co/" in s
