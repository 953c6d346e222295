"""Regenerate newsbrief/analysis/data/subjectivity.tsv from the two lexicons' own wheels.

    pip install --no-deps vaderSentiment==3.3.2 textblob==0.20.1     # only to regenerate; not a dependency
    .venv/bin/python scripts/make_framing_lexicon.py

One row per lower-case single word found in either lexicon:
  word, VADER mean valence (-4..4, blank when absent), Pattern polarity (-1..1) and subjectivity (0..1)
  (mean polarity and largest subjectivity over the word's senses, blank when absent), and the word's most
  frequent Penn tag in the Brill lexicon that TextBlob ships (blank when absent).
Sources and licences: newsbrief/analysis/data/README.md.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from importlib.resources import files
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "newsbrief" / "analysis" / "data" / "subjectivity.tsv"
WORD = re.compile(r"[a-z][a-z'-]*[a-z]")


def main() -> None:
    vader: dict[str, float] = {}
    for line in (files("vaderSentiment") / "vader_lexicon.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and WORD.fullmatch(parts[0]):
            vader[parts[0]] = float(parts[1])
    senses: dict[str, list[tuple[float, float]]] = defaultdict(list)
    root = ET.fromstring((files("textblob") / "en" / "en-sentiment.xml").read_bytes())
    for w in root:
        form = (w.get("form") or "").lower()
        if WORD.fullmatch(form):
            senses[form].append((float(w.get("polarity") or 0), float(w.get("subjectivity") or 0)))
    brill: dict[str, str] = {}
    for line in (files("textblob") / "en" / "en-lexicon.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith(";;;"):
            continue
        parts = line.split()
        if len(parts) >= 2 and parts[0].islower():
            brill.setdefault(parts[0], parts[1])
    rows = ["# word\tvader_valence\tpattern_polarity\tpattern_subjectivity\tpos  (see README.md: sources, licences)"]
    for word in sorted(set(vader) | set(senses)):
        pol = subj = ""
        if word in senses:
            s = senses[word]
            pol = f"{sum(p for p, _ in s) / len(s):.2f}"
            subj = f"{max(x for _, x in s):.2f}"
        rows.append("\t".join([word, f"{vader[word]:.1f}" if word in vader else "", pol, subj, brill.get(word, "")]))
    OUT.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows) - 1} words -> {OUT}")


if __name__ == "__main__":
    main()
