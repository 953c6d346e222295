"""Issue 15, for the reader: outlets, one story per brief, one layout on every surface, the HTML report's
citations, the CLI's manners. (The API parts are in test_api.py, the browser parts in test_browser.py.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import newsbrief
from newsbrief.model import Article
from newsbrief.outlets import dateline_agency, detect_outlet, site_name, strip_dateline
from newsbrief.render import SECTION_TITLES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "us-iran-talks"

STORM = [
    {"title": "Storm floods coastal towns", "text": (
        "Heavy rain from a tropical storm flooded three coastal towns on Sunday, forcing hundreds of families from "
        "their homes as rivers burst their banks. Rescue teams used boats to reach villages cut off by the water, "
        "and the regional governor declared a state of emergency. Meteorologists said more rain was expected "
        "through Tuesday, and schools in the area will stay closed. Farmers reported that much of the rice harvest "
        "had been lost, and the road to the provincial capital was closed by landslides. The national weather "
        "service said the storm was the strongest to hit the coast in a decade, with winds of more than 120 "
        "kilometres an hour. Aid groups appealed for clean water, blankets and medicine for the evacuation "
        "centres, where more than four thousand people spent the night.")},
    {"title": "Flood waters begin to recede", "text": (
        "Flood waters began to recede in the coastal towns hit by the tropical storm, officials said on Monday, but "
        "thousands of evacuated families remained in shelters. The governor said the state of emergency would stay "
        "in force while engineers inspected damaged bridges and the landslides on the provincial road were "
        "cleared. Rescue teams in boats were still reaching cut-off villages, and aid groups handed out clean "
        "water and blankets. Farmers said the rice harvest had been largely destroyed by the storm, the strongest "
        "to hit the coast in a decade, and the weather service warned of more heavy rain.")},
]


@pytest.fixture(scope="module")
def seeds():
    return newsbrief.brief([str(EXAMPLE)], words=150)


# -- outlets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, agency", [
    ("BAGHDAD (AFP) – The United States and Iran", "AFP"),
    ("(Reuters) - The United States urged Iran", "Reuters"),
    ("WASHINGTON, May 28 (Reuters) - Officials", "Reuters"),
    ("LITTLETON, Colo. (AP) -- The sheriff's", "AP"),
    ("NEW YORK (AP) — The city", "AP"),
    ("WASHINGTON (AP) _ The Senate", "AP"),
    ("BEIJING, Jan. 5 (Xinhua) -- China", "Xinhua"),
    ("(Ap) - lower case is not the agency", None),
    ("(PHOTO) - not an agency", None),
    ("The envoy (AP) said", None),
])
def test_datelines(text, agency):
    found = dateline_agency(text)
    assert (found[0] if found else None) == agency
    if agency:
        assert not strip_dateline(text).startswith("(") and strip_dateline(text)[0].isupper()


@pytest.mark.parametrize("url, name", [
    ("https://www.reuters.com/world/middle-east/x", "Reuters"),
    ("http://news.bbc.co.uk/2/hi/middle_east/1.stm", "BBC"),
    ("https://edition.cnn.com/2007/x", "CNN"),
    ("https://www.ncr-iran.org/en/news", "NCRI"),
    ("https://example.org/a", "example.org"),
    ("https://iran-news.blogspot.com/2007/05/x.html", "iran-news.blogspot.com"),
    ("not a url", ""),
])
def test_site_names(url, name):
    assert site_name(url) == name


def test_outlets_of_the_bundled_example(seeds):
    labels = [a.outlet_label() for a in seeds.articles]
    assert labels == ["unnamed outlet, citing AFP", "Reuters", "NCRI, from AFP", "", ""]
    assert [a.outlet_basis for a in seeds.articles][:3] == ["credit", "dateline", "metadata, dateline"]
    assert seeds.outlet_count == 5
    # each summary sentence names the outlets that carry it, in every format
    data = json.loads(seeds.to_json())
    for s in data["summary"]:
        assert len(s["outlets"]) == len(s["sources"])
    md, page = seeds.to_markdown(), seeds.to_html()
    for s in seeds.summary:
        line = next(ln for ln in md.splitlines() if ln.startswith("- " + s.text[:40]))
        for name in {a.outlet_label() or "unnamed outlet" for a in seeds.articles if a.id in s.sources}:
            assert name in line
    assert "NCRI, from AFP" in page and "Reuters" in page


def test_metadata_and_url_outlets():
    a = detect_outlet(Article(id="a", text="(Reuters) - Talks began.", source="ncr-iran.org"))
    assert (a.outlet, a.wire, a.outlet_label()) == ("NCRI", "Reuters", "NCRI, from Reuters")
    b = detect_outlet(Article(id="b", text="Talks began on Monday.", url="https://www.aljazeera.com/news/x"))
    assert (b.outlet, b.outlet_basis) == ("Al Jazeera", "URL")
    c = detect_outlet(Article(id="c", text="Talks began on Monday.", source="Reuters", url="https://x.org/"))
    assert c.outlet_label() == "Reuters"


# -- one story per brief -------------------------------------------------------------------------------


def test_the_seeds_are_one_story(seeds):
    from newsbrief.split import story_groups

    assert seeds.stories == [] and not any(w.startswith("the input covers") for w in seeds.warnings)
    assert len(story_groups(seeds.articles)) == 1  # May and July articles: one story, a later event of it


def test_a_mixed_input_briefs_the_largest_story_and_names_the_others():
    b = newsbrief.brief([str(EXAMPLE)] + STORM, words=100)
    assert [len(s.articles) for s in b.stories] == [5, 2] and [s.briefed for s in b.stories] == [True, False]
    assert len(b.articles) == 5
    note = next(w for w in b.warnings if w.startswith("the input covers 2 unrelated stories"))
    assert "Storm floods coastal towns" in note and "Flood waters begin to recede" in note
    assert "5 of 7 articles" in note
    other = newsbrief.brief([str(EXAMPLE)] + STORM, words=60, story=2)
    assert [a.title for a in other.articles] == ["Storm floods coastal towns", "Flood waters begin to recede"]
    everything = newsbrief.brief([str(EXAMPLE)] + STORM, words=60, story="all", analysis=False)
    assert len(everything.articles) == 7 and all(s.briefed for s in everything.stories)
    each = newsbrief.brief_each([str(EXAMPLE)] + STORM, words=60)
    assert [len(x.articles) for x in each] == [5, 2]
    from newsbrief.pipeline import NoSuchStory

    with pytest.raises(NoSuchStory):
        newsbrief.brief([str(EXAMPLE)], story=2)
    # the reports say it too
    md = b.to_markdown()
    assert "This input covers 2 unrelated stories" in md and "--story N" in md


def test_benchmark_clusters_are_not_split_and_mixes_are_found(shared_data):
    """A few clusters of the shared sets: each alone is one story; two clusters mixed are two."""
    from newsbrief.readers import read_benchmark, read_inputs
    from newsbrief.split import story_groups

    rows = read_benchmark(shared_data / "duc2004_task2.jsonl")[:6]
    arts = [read_inputs([{"text": d, "id": f"r{k}-{i}"} for i, d in enumerate(r["documents"])])[0]
            for k, r in enumerate(rows)]
    assert all(len(story_groups(a)) == 1 for a in arts)
    for k in range(0, 6, 2):
        groups = story_groups(arts[k] + arts[k + 1])
        assert len(groups) == 2 and {len(g) for g in groups} == {len(arts[k]), len(arts[k + 1])}


# -- one layout ----------------------------------------------------------------------------------------

RAW_FIELDS = re.compile(r"\b(Type|Kind|Value|Label|Support|Source|Speaker role|Speaker resolved|Attributions|"
                        r"Citations|Notability|Precision|Basis|Target kind|Source label)\s*:")


def test_markdown_and_html_share_the_layout(seeds):
    md, page = seeds.to_markdown(), seeds.to_html()
    md_titles = re.findall(r"^## (.+)$", md, re.M)
    html_titles = [re.sub("<[^>]+>", "", t) for t in re.findall(r"<h2>(.+?)</h2>", page)]
    known = [t for t in md_titles if t in SECTION_TITLES.values()]
    assert known == [t for t in html_titles if t in SECTION_TITLES.values()]
    order = list(SECTION_TITLES.values())
    assert known == sorted(known, key=order.index)  # the layout's order
    assert known[:2] == ["Summary", "Where the sources disagree"]  # the disagreements near the top
    for text in (md, re.sub("<[^>]+>", " ", page)):
        assert not RAW_FIELDS.search(text), RAW_FIELDS.search(text)
        assert "000_a183c4428c7c4876" not in text  # no ids where a reader looks
    assert "(Reuters) -" not in md.split("## Sources")[0]  # datelines trimmed from the sentences shown
    assert "(Reuters) -" not in "".join(re.findall(r'<span class="claim">(.*?)</span>', page))
    assert "5 articles from 5 outlets (3 not named)" in md


def test_the_page_uses_the_same_section_titles():
    js = (ROOT / "newsbrief" / "web" / "static" / "app.js").read_text(encoding="utf-8")
    block = js[js.index("const TITLES = {"): js.index("};", js.index("const TITLES = {"))]
    titles = dict(re.findall(r"(\w+): \"([^\"]+)\"", block))
    assert titles == SECTION_TITLES


def test_sections_added_later_are_rendered_generically(seeds):
    from dataclasses import dataclass, field, make_dataclass

    from newsbrief.model import Analysis, Brief, Span

    @dataclass
    class Change:
        text: str
        sources: list[str]
        citations: list[Span]
        kind: str = "changed"
        note: str | None = None

    first = seeds.articles[0]
    extended = make_dataclass("Extended", [("changes_over_time", list, field(default_factory=list))], bases=(Analysis,))
    a = extended(**{k: getattr(seeds.analysis, k) for k in seeds.analysis.__dataclass_fields__},
                 changes_over_time=[Change(text="The count went from five to seven.", sources=[first.id],
                                           citations=[Span(first.id, 0, 10, first.text[:10])], note="later report")])
    b = Brief(articles=seeds.articles, summary=seeds.summary, words=150, analysis=a)
    md, page = b.to_markdown(), b.to_html()
    assert "## Changes over time" in md and "The count went from five to seven." in md and "later report" in md
    assert "<h2>Changes over time</h2>" in page and not RAW_FIELDS.search(re.sub("<[^>]+>", " ", page))


# -- the HTML report ----------------------------------------------------------------------------------


def test_html_citations_target_the_exact_span(seeds):
    page = seeds.to_html()
    assert "<script" not in page and ":target" in page
    texts = {n: a.text for n, a in enumerate(seeds.articles, 1)}
    links = re.findall(r'<a class="cite" href="#(ev-\d+)"', page)
    assert links and len(links) == len(set(links))
    for ev in links[:40]:
        block = page[page.index(f'id="{ev}"'):]
        block = block[: block.index("</div></div>") if "</div></div>" in block else 2000]
        n = int(re.search(r"\[(\d+)\]", block).group(1))
        full = re.search(r'href="#t(\d+)-(\d+)-(\d+)"', block)
        assert full and int(full.group(1)) == n
        start, end = int(full.group(2)), int(full.group(3))
        marked = re.search(r'<mark class="cited">(.*?)</mark>', block, re.S).group(1)
        import html as h

        assert h.unescape(marked) == texts[n][start:end]
        assert f'id="t{n}-{start}-{end}"' in page  # wrapped in its own element in the full text
    # the first summary sentence: its evidence follows the claim, in the same list item
    item = page[page.index('id="claim-1"'): page.index("</li>", page.index('id="claim-1"'))]
    assert 'class="ev"' in item and seeds.summary[0].text[:30] in item


def test_html_show_removed_more_and_footer(seeds):
    plain, full = seeds.to_html(), seeds.to_html(show_removed=True)
    n = sum(len(a.removed) for a in seeds.articles)
    assert f"The cleaner removed {n} pieces" in plain and "Removed by the cleaner (" not in plain
    assert "Removed by the cleaner (" in full and seeds.articles[0].removed[0].reason in full
    quotes = plain[plain.index('id="sec-quotes"'):]
    quotes = quotes[: quotes.index("</section>")]
    shown = len(seeds.quotes) - 10
    assert f"<summary>+{shown} more</summary>" in quotes
    assert quotes.count("<li>") == len(seeds.quotes)  # complete: the rest inside "+N more"
    footer = plain[plain.index("<footer>"):]
    assert f"newsbrief {newsbrief.__version__}" in footer and "150-word budget" in footer
    assert re.search(r"\d{4}-\d{2}-\d{2}", footer)


def test_markdown_is_complete_and_counts_outlets(seeds):
    md = seeds.to_markdown()
    for q in seeds.quotes:
        assert q.text.split()[0] in md
    assert "citing 3 outlets" in md and "sources cited" not in md
    assert re.search(r"^1\. unnamed outlet, citing AFP — Iran offers to train Iraqi forces — 28 May 2007$", md, re.M)


# -- the CLI ------------------------------------------------------------------------------------------------


def run_cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "newsbrief.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, input=stdin, timeout=300)


def test_cli_version_help_and_one_line_errors():
    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"newsbrief {newsbrief.__version__}"
    h = run_cli("brief", "--help").stdout
    assert "<bool>" not in h and "[md|json|html]" in h.replace("<", "[").replace(">", "]").replace("|", "|")
    assert "--story" in h and "-q, --quiet" in h and "-v, --verbose" in h and "[default: 150" in h
    for args in (("brief", "--words", "0", "x.txt"), ("brief", "--bogus"), ("brief",),
                 ("brief", str(EXAMPLE), "--show-removed", "true"), ("brief", str(EXAMPLE), "--story", "nine")):
        r = run_cli(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith("newsbrief: error: "), r.stderr


def test_cli_format_from_the_output_extension_and_quiet(tmp_path):
    out = tmp_path / "brief.html"
    r = run_cli("brief", str(EXAMPLE), "-o", str(out), "-q")
    assert r.returncode == 0 and r.stderr == ""
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    out = tmp_path / "brief.json"
    assert run_cli("brief", str(EXAMPLE), "-o", str(out), "--no-analysis").returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["outlets"]
    r = run_cli("brief", str(EXAMPLE), "-v", "--no-analysis", "-o", str(tmp_path / "b.md"))
    assert "5 articles from 5 outlets" in r.stderr and "wrote" in r.stderr


def test_cli_singular_and_story_each(tmp_path):
    r = run_cli("brief", "-", "--no-analysis", stdin="Iran and the United States held talks in Baghdad on Monday, "
                "the first in 27 years, officials said.\n")
    assert r.returncode == 0 and "1 article from 1 outlet" in r.stdout and "1 articles" not in r.stdout
    storm = tmp_path / "storm.json"
    storm.write_text(json.dumps(STORM), encoding="utf-8")
    out = tmp_path / "b.md"
    r = run_cli("brief", str(EXAMPLE), str(storm), "--story", "each", "--no-analysis", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "b-1.md").exists() and (tmp_path / "b-2.md").exists()
    assert "Storm" in (tmp_path / "b-2.md").read_text(encoding="utf-8")
