"""The line pass: every body line is kept (maybe trimmed) or removed with its reason.

Besides the boilerplate rules (`rules.py`): separators, image file names (alone, or glued to the
first words), markup residue, bare links, category lists, lines in another script or language, date
lines, and the end-of-article teaser block ("Related:", "Check Also" and the titles after it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsbrief.clean.normalize import Line, embedded_post, ends_sentence, has_url, word_count
from newsbrief.clean.rules import boilerplate
from newsbrief.model import Removal
from newsbrief.text.dates import date_line, updated_stamp
from newsbrief.text.language import foreign_script, other_language

# a line that starts the end-of-article teaser block
TEASER_START = re.compile(
    r"^(?:check also|related|related (?:articles?|posts?|stories|coverage|content|news|links|reading|videos?)|"
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|recommended(?: for you| stories| reading)?|"
    r"more (?:from|on|stories|news)\b.{0,40}|most (?:read|popular|viewed|shared)|trending(?: now| stories)?|"
    r"(?:read|see) (?:more|also|next)|also(?: read| see)?|what to read next|don'?t miss|popular (?:posts?|stories)|"
    r"online|latest (?:news|stories|posts)|around the web|from (?:our|the) (?:partners|web))\s*[:.…]*$",
    re.I,
)
_TEASER_MAX_WORDS = 30

_IMG_EXT = r"(?:jpe?g|png|gif|webp|bmp|tiff?|svg|heic|avif)"
_IMG_ONLY = re.compile(rf"^[\w\-.%()~+]+\.{_IMG_EXT}$", re.I)
_IMG_GLUED = re.compile(rf"^([\w\-%()~+]+(?:\.[\w\-]+)*\.{_IMG_EXT})(?=\s*[^\s.])", re.I)
_TRAILING_TEASER = re.compile(r"(?<=[.!?\"”’])\s*(\[[^\[\]]{3,150}\])$")
_URL = re.compile(r"(?:https?://|www\.)\S+|\bpic\.twitter\.com/\S+|\bbit\.ly/\S+|\bt\.co/\S+", re.I)
_MARKUP = re.compile(r"\b\w+=[\"']https?://|<\s*/?\s*(?:div|span|iframe|script|img|a|p|br)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]{0,200}>")
_CATEGORY = re.compile(
    r"^(?:[A-Z][\w&'’-]*(?: [A-Z&][\w&'’-]*){0,2})(?:\s*[,|/•·]\s*[A-Z][\w&'’-]*(?: [A-Z&][\w&'’-]*){0,2}){2,9}$"
)

NOT_IN_LANGUAGE = "not in the article's language"
DATE_LINE = "date (metadata)"


@dataclass(frozen=True)
class Language:
    """The article's language and main script, and whether it mixes scripts at all."""

    code: str = "en"
    script: str = "latin"
    mixed: bool = False


def foreign_line(line: str, lang: Language) -> bool:
    """True if `line` is clearly not in the article's language: another script (any line), or another
    language by the identifier (a paragraph-length line only; short lines are not judged alone). An
    embedded post is a quotation, kept in its own language."""
    if lang.mixed and foreign_script(line, lang.script):
        return True
    return not embedded_post(line) and other_language(line, lang.code) is not None


def line_reason(s: str, lang: Language) -> str | None:
    """Why a whole (normalised, non-blank) line is not article text, or None to keep it."""
    if not any(c.isalnum() for c in s):
        return "separator/decoration"
    if _IMG_ONLY.match(s):
        return "image file name"
    reason = boilerplate(s)
    if reason:
        return reason
    if ("=" in s or "<" in s) and _MARKUP.search(s) and word_count(_TAG.sub(" ", s)) < 8:
        return "markup residue"
    if has_url(s) and _URL.search(s):
        rest = _URL.sub(" ", s)
        if word_count(rest) <= 4 and not ends_sentence(rest.strip()):
            return "link"
    if _CATEGORY.match(s) and not ends_sentence(s):
        return "boilerplate: tags/labels"
    if foreign_line(s, lang):
        return NOT_IN_LANGUAGE
    if date_line(s):
        return DATE_LINE
    return None


def _teaser(s: str, to_end: bool) -> bool:
    """A line of a 'Related'/'Check Also' block: a title, a cut-off excerpt or a link."""
    if s.endswith(("…", "...")) or has_url(s):
        return True
    if to_end:
        return word_count(s) <= _TEASER_MAX_WORDS
    return word_count(s) <= 20 and not ends_sentence(s)


def line_pass(body: list[Line], lang: Language, removed: list[Removal], found: dict[str, str]) -> list[Line | None]:
    """The kept lines of `body` (None for a paragraph break); removals are appended to `removed`.

    A date line sets `found["date"]` if no date was found yet."""
    kept: list[Line | None] = []
    tail_reason = ""
    tail_to_end = False
    for k, ln in enumerate(body):
        s = ln.text
        if not s:
            kept.append(None)
            continue
        reason = None
        if tail_reason:
            if _teaser(s, tail_to_end):
                reason = tail_reason
            else:
                tail_reason = ""
        if reason is None and TEASER_START.match(s) and word_count(s) <= 8:
            tail_reason = f"teaser after '{s.rstrip(':.… ')}'"
            # a teaser block that runs to the end of the article may hold short full sentences too
            tail_to_end = all(_teaser(x.text, True) for x in body[k + 1 :] if x.text)
            reason = f"boilerplate: '{s.rstrip(':.… ')}' (start of teasers)"
        if reason is None:
            m = _IMG_GLUED.match(s)
            if m:
                removed.append(Removal(m.group(1), "image file name", ln.no))
                s = s[m.end():].lstrip()
            m = _TRAILING_TEASER.search(s) if s.endswith("]") else None
            if m and word_count(s[: m.start()]) >= 5:
                removed.append(Removal(m.group(1), "boilerplate: read more/teaser link", ln.no))
                s = s[: m.start()].rstrip()
            reason = line_reason(s, lang)
        if reason == DATE_LINE and "date" not in found and not updated_stamp(s):  # an updated stamp is no date
            found["date"] = date_line(s) or ""
        if reason:
            removed.append(Removal(s, reason, ln.no))
            kept.append(None)
        else:
            kept.append(Line(ln.no, s))
    return kept
