"""Bytes -> text: byte order marks, then UTF-8, then a detected legacy encoding (with a warning).

Order: a BOM (UTF-8, UTF-16, UTF-32) decides; else strict UTF-8; else UTF-16 without a BOM when every
other byte is NUL; else charset_normalizer (imported only then) proposes legacy encodings. On short text
several of them decode without "chaos" (French in a Baltic code page: "Voilą, ą cōté"), so among the
near-equal candidates the language identifier overrides charset_normalizer's choice when it reads another
decoding clearly more surely (mojibake reads as no language). A detected encoding is a guess: it always comes with a
warning naming it, and says "unsure" when the runner-up was close. NUL bytes mean binary unless the data is valid
UTF-8 with few control characters (a text with a stray NUL or a terminal escape: the cleaner removes and lists them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BOMS = (  # UTF-32 first: its little-endian BOM starts like UTF-16's
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16"),
    (b"\xff\xfe", "utf-16"),
)
_WESTERN = "cp1252"
_CLOSE_CHAOS = 0.1  # candidates this close in charset_normalizer's "chaos" are near-equal guesses
_MAX_CANDIDATES = 8
_BETTER = 0.02  # the identifier overrides charset_normalizer's choice when it reads another this much better
_SURE_MARGIN = 0.05  # a runner-up read this nearly as well makes the choice unsure
_MAX_CONTROL = 0.1  # text has at most this share of control characters (a terminal escape sequence counts once)
_MIN_LETTERS = 0.15  # and at least this share of letters among its non-space characters (unless structured)
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")


@dataclass(frozen=True)
class Decoded:
    """The text of some bytes (None if they are not text), the encoding used, and any warning."""

    text: str | None
    encoding: str = ""
    warning: str = ""  # set when the encoding was guessed
    problem: str = ""  # why `text` is None


def decode_bytes(data: bytes, structured: bool = False) -> Decoded:
    """Decode the bytes of a text file; binary, empty and undecodable data give a `problem` instead.

    `structured` (JSON): the text need not be mostly letters (``42`` and ``[[]]`` are JSON, not binary)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec), codec.replace("-sig", ""), structured=structured)
            except UnicodeDecodeError:
                return Decoded(None, problem=f"undecodable (invalid {codec.upper()} after its byte order mark)")
    if not data.strip():
        return Decoded(None, problem="empty file")
    head = data[:8192]
    if b"\x00" in head:
        utf16 = _utf16_without_bom(head)
        try:
            if utf16 is None:  # valid UTF-8 with a few NULs is text (the cleaner removes them); else binary
                decoded = _checked(data.decode("utf-8"), "utf-8", structured=structured)
                return decoded if decoded.text is not None else Decoded(None, problem="binary file (NUL bytes)")
            text = data.decode(utf16)
        except UnicodeDecodeError:
            return Decoded(None, problem="binary file (NUL bytes)")
        return _checked(text, utf16, f"no byte order mark: read as {utf16.upper()} (guessed)", structured)
    try:
        return _checked(data.decode("utf-8"), "utf-8", structured=structured)
    except UnicodeDecodeError:
        return _detected(data, structured)


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL is (nearly) every other byte, as in UTF-16 text of Latin script."""
    even, odd = head[0::2], head[1::2]
    if len(odd) >= 8 and odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if len(even) >= 8 and even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None


def _detected(data: bytes, structured: bool = False) -> Decoded:
    """A legacy (non-UTF) encoding chosen by charset_normalizer, with a warning."""
    import charset_normalizer

    undecodable = Decoded(None, problem="undecodable (not UTF-8, and no other encoding gives text)")
    if len(data) >= 80 and not any(b in data for b in b" \n\t\r"):
        return undecodable  # every legacy encoding of text is an ASCII superset: text has ASCII spaces
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        return undecodable
    candidates: dict[str, str] = {}  # decoded text -> encoding, near-equal candidates in charset_normalizer's order
    for m in matches:
        if m.chaos <= matches[0].chaos + _CLOSE_CHAOS and len(candidates) < _MAX_CANDIDATES:
            name = _WESTERN if _WESTERN in (m.encoding, *m.could_be_from_charset) else m.encoding
            text = str(m)
            if text not in candidates or name == _WESTERN:
                candidates[text] = name
    scored = [(_readability(text), text, name) for text, name in candidates.items()]
    best = scored[0]  # charset_normalizer's own choice
    top = max(scored, key=lambda c: c[0])
    chosen = top if top[0] > best[0] + _BETTER else best
    unsure = any(c[1] != chosen[1] and c[0] > chosen[0] - _SURE_MARGIN for c in scored)
    _, text, name = chosen
    warning = f"not UTF-8: read as {name}" + (" (detected, unsure: check the text)" if unsure else " (detected)")
    decoded = _checked(text, name, warning, structured)
    return decoded if decoded.text is not None else undecodable


def _readability(text: str) -> float:
    """How surely the language identifier reads `text` (0..1): a wrong decoding reads as no language."""
    from newsbrief.text.language import identify

    best = identify(text, k=1)
    return best[0][1] if best else 0.0


def _checked(text: str, encoding: str, warning: str = "", structured: bool = False) -> Decoded:
    """`text` unless it is mostly control or non-letter characters (then binary)."""
    if not text.strip():
        return Decoded(None, encoding, problem="empty file")
    if not _looks_like_text(text, structured):
        return Decoded(None, encoding, problem="binary file (mostly non-text characters)")
    return Decoded(text, encoding, warning)


def _looks_like_text(text: str, structured: bool = False) -> bool:
    """Few control characters and, unless `structured`, mostly letters. A text with a stray NUL, BEL or a
    few terminal escape sequences is text: the cleaner removes those characters and lists them."""
    sample = _ESCAPE.sub("\x1b", text[:20000])
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\n\r\t\f\v") or 0x7F <= ord(c) < 0xA0 or c == "\ufffd")
    if bad > _MAX_CONTROL * len(sample):
        return False
    if structured:
        return True
    letters = sum(1 for c in sample if c.isalpha())
    return letters >= _MIN_LETTERS * len("".join(sample.split()))


def without_lone_surrogates(text: str) -> tuple[str, int]:
    """`text` with each lone UTF-16 surrogate (from a JSON ``"\\ud83d"`` escape, or bytes read with
    ``surrogateescape``) replaced by U+FFFD, and how many there were; a surrogate pair becomes its character.
    Such text cannot be written out as UTF-8 at all."""
    if text.isascii() or not _SURROGATE.search(text):
        return text, 0
    fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return fixed, fixed.count("\ufffd") - text.count("\ufffd")


_SURROGATE = re.compile("[\ud800-\udfff]")
