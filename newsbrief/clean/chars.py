"""The character pass: characters that are not text, removed before any other pass and each one listed.

Removed: control characters (C0 except tab/newline/carriage return/form feed/vertical tab, DEL, C1),
whole terminal escape sequences (ESC [ ... m and the like), invalid characters (lone UTF-16 surrogates,
U+FFFD replacement characters, noncharacters) and invisible formatting characters that break words
apart (zero-width space, word joiner, byte order mark, soft hyphen, directional marks, embeddings,
overrides and isolates). Zero-width joiners and non-joiners are kept: they are part of the text (👩‍⚖️,
Persian words).

One `Removal` per line and kind, whose text is the removed characters of that line in order (a lone
surrogate, which cannot be written out, is listed as U+FFFD) and whose reason names them. Lines are never
joined or split, so line numbers stay those of the raw text.
"""

from __future__ import annotations

import re
import unicodedata

from newsbrief.model import Removal

CONTROL = "control characters"
INVALID = "invalid characters"
INVISIBLE = "invisible formatting characters"
KINDS = (CONTROL, INVALID, INVISIBLE)
"""Every reason of this pass starts with one of these."""

_ANSI = r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]{0,256}(?:\x07|\x1b\\)|[@-Z\\-_])"
_CONTROLS = "\x00-\x08\x0e-\x1f\x7f-\x9f"
_INVALID = "\ud800-\udfff\ufffd\ufffe\uffff\ufdd0-\ufdef"
_INVISIBLE = "\u00ad\u200b\u200e\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069"
_ANY = re.compile(f"{_ANSI}|[{_CONTROLS}{_INVALID}{_INVISIBLE}]+")
_FIND = re.compile(
    f"(?P<ansi>{_ANSI})|(?P<control>[{_CONTROLS}])|(?P<invalid>[{_INVALID}])|(?P<invisible>[{_INVISIBLE}])"
)
_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x1B: "ESC", 0x7F: "DEL"}


def has_bad_characters(text: str) -> bool:
    return _ANY.search(text) is not None


def _name(c: str) -> str:
    """"U+001B ESC", "U+00AD soft hyphen", "U+D83D lone surrogate"."""
    n = ord(c)
    if 0xD800 <= n <= 0xDFFF:
        name = "lone surrogate"
    else:
        name = _NAMES.get(n) or unicodedata.name(c, "").lower()
    return f"U+{n:04X} {name}".strip()


def _reason(kind: str, chars: list[str], sequences: int) -> str:
    seen: list[str] = []
    for c in chars:
        if c not in seen:
            seen.append(c)
    names = ", ".join(_name(c) for c in seen[:3]) + (", …" if len(seen) > 3 else "")
    what = f"{names}; {sequences} terminal escape sequence{'s' if sequences > 1 else ''}" if sequences else names
    return f"{kind} ({what})"


def strip_characters(text: str, numbered: bool = True) -> tuple[str, list[Removal]]:
    """`text` without the characters that are not text, and one Removal per line and kind.

    With ``numbered=False`` the removals have no line number (text derived from the raw input, such as
    the main text extracted from a page)."""
    if not has_bad_characters(text):
        return text, []
    out_lines: list[str] = []
    removed: list[Removal] = []
    for no, line in enumerate(text.split("\n"), 1):
        if not has_bad_characters(line):
            out_lines.append(line)
            continue
        found: dict[str, list[str]] = {}  # kind -> removed pieces, in order
        lead: dict[str, list[str]] = {}  # kind -> the characters named in the reason
        sequences: dict[str, int] = {}
        for m in _FIND.finditer(line):
            group = m.lastgroup or ""
            kind = CONTROL if group in ("ansi", "control") else INVALID if group == "invalid" else INVISIBLE
            piece = m.group()
            if group == "ansi":
                sequences[kind] = sequences.get(kind, 0) + 1
            shown = "\ufffd" if group == "invalid" and "\ud800" <= piece <= "\udfff" else piece
            found.setdefault(kind, []).append(shown)
            lead.setdefault(kind, []).append(piece[0])
        out_lines.append(_FIND.sub("", line))
        for kind in KINDS:
            if kind in found:
                removed.append(Removal("".join(found[kind]), _reason(kind, lead[kind], sequences.get(kind, 0)),
                                       no if numbered else None))
    return "\n".join(out_lines), removed
