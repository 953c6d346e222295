"""Word tokens, each tokeniser named for what it keeps, and `word_tree` for fast word-list regexes."""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_ROUGE_TOKEN = re.compile(r"[a-z0-9]+")
_LETTER_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def words(text: str) -> list[str]:
    """Lower-cased word tokens: letters and digits, with one inner apostrophe ("iran's"; ’ becomes ')."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def rouge_tokens(text: str) -> list[str]:
    """Tokens as rouge-score's default tokenizer makes them: lower-cased runs of a-z and 0-9."""
    return _ROUGE_TOKEN.findall(text.lower())


def letter_words(text: str) -> list[str]:
    """Words of letters as written (case kept), with inner apostrophes and hyphens ("al-Maliki's")."""
    return _LETTER_WORD.findall(text)


def word_tree(words: Iterable[str]) -> str:
    """A regex matching exactly `words`, written as a prefix tree ("a(?:dm|ide|...)|...").

    The engine then tries a few letters at each position instead of every word in turn. Where several
    words match, the longer one is tried first, as in an alternation sorted longest first, so the
    matches are the same; only faster."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        group = "(?:" + "|".join(branches) + ")"
        return group + "?" if "" in node else group

    return emit(tree)
