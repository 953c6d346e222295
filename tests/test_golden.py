"""The bundled example's full brief JSON, pinned: a refactor must leave every byte of it as it was.

A change that is meant to alter the brief regenerates the file on purpose:
    .venv/bin/python tests/test_golden.py --update
and the diff of tests/golden/us-iran-talks.json is then reviewed with the change.
"""

import json
import sys
from pathlib import Path

import newsbrief

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "us-iran-talks"
GOLDEN = ROOT / "tests" / "golden" / "us-iran-talks.json"


def current() -> dict:
    return json.loads(newsbrief.brief([str(EXAMPLE)], words=150).to_json())


def test_bundled_example_json_unchanged():
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = current()
    assert got.keys() == expected.keys()
    for key in expected:
        assert got[key] == expected[key], f"section {key!r} changed (see the module docstring to update on purpose)"


if __name__ == "__main__" and sys.argv[1:] == ["--update"]:
    GOLDEN.write_text(json.dumps(current(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
