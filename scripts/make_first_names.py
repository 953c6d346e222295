"""Build newsbrief/analysis/data/first_names.json: first name -> m / f (a feature of the quote speaker ranking).

    python scripts/make_first_names.py                      # the Faker wheel in /opt/pypi/files
    python scripts/make_first_names.py --faker path/to/faker-*.whl

Source: the US Social Security Administration's most common first names (public domain) with their frequencies,
as the MIT-licensed Faker package ships them (faker/providers/person/en_US: `first_names_male`,
`first_names_female`), read from the wheel without installing it. A name given to both sexes takes the sex with
>= 80 % of its weight, else it is left out. Nothing else goes in (no hand-typed names, no PolNeAR text).
"""

from __future__ import annotations

import argparse
import ast
import json
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "newsbrief" / "analysis" / "data" / "first_names.json"
_PROVIDER = "faker/providers/person/en_US/__init__.py"


def faker_names(wheel: Path) -> tuple[dict[str, str], str]:
    """(first name -> m / f, the Faker version) from the wheel's en_US person provider."""
    zf = zipfile.ZipFile(wheel)
    src = zf.read(_PROVIDER).decode("utf-8")
    weights: dict[str, Counter] = defaultdict(Counter)
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) \
                and node.targets[0].id in ("first_names_male", "first_names_female"):
            g = "f" if node.targets[0].id.endswith("female") else "m"
            for name, w in ast.literal_eval(node.value.args[0]):
                weights[name.lower()][g] += float(w)
    out = {}
    for name, c in weights.items():
        g, w = c.most_common(1)[0]
        if w >= 0.8 * sum(c.values()):
            out[name] = g
    version = wheel.name.split("-")[1]
    return dict(sorted(out.items())), version


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--faker", default=str(next(Path("/opt/pypi/files").glob("faker-*.whl"), "")))
    args = ap.parse_args()
    if not args.faker:
        raise SystemExit("no Faker wheel: pass --faker (e.g. `pip download faker --no-deps`)")
    names, version = faker_names(Path(args.faker))
    about = (f"First name -> m / f: the SSA's most common US first names with their frequencies as Faker {version} "
             f"ships them (faker/providers/person/en_US, MIT); a name given to both sexes takes the one with >= 80 % "
             f"of its weight, else it is left out. Written by scripts/make_first_names.py.")
    OUT.write_text(json.dumps({"about": about, "names": names}, ensure_ascii=False, indent=0) + "\n",
                   encoding="utf-8")
    c = Counter(names.values())
    print(f"{len(names)} first names ({c['m']} m, {c['f']} f) from Faker {version} -> {OUT}")


if __name__ == "__main__":
    main()
