"""Fuzz and property tests (hypothesis) over the readers, the cleaner and the API bodies (issue 14).

Properties:

* no traceback: reading, cleaning, briefing and every API body end in articles and one-line warnings,
  or a clean 4xx error; never an exception or a 5xx;
* accounting: every input character is kept or listed in ``Article.removed`` with a reason. Precisely,
  for plain text: take the raw text after decoding (a lone surrogate counts as U+FFFD), line by line.
  First the character pass: each removal whose reason starts with one of `chars.KINDS` lists characters
  of its line, in order, and they are taken out of that line. Then the remaining non-whitespace
  characters, in order, must be an interleaving of the cleaned text's non-whitespace characters (in
  order) and of every other removal's non-whitespace characters, each removal one contiguous run; every
  character used exactly once. For HTML, whose markup is not text, the unit is the visible line: each
  one is in the main text, or listed (as a line, or inside a listed line);
* exact spans: every citation of a summary sentence is ``article.text[start:end]``;
* no article lost without a warning: each JSON object, JSONL line or file gives an article, or a
  warning naming it;
* bounded time: inputs are bounded in size (speed goals live in scripts/bench_*.py, not here), and
  deeply nested JSON is refused, not recursed into.

Examples per property are few (this runs in well under a minute on a busy 2-core machine); set
NEWSBRIEF_FUZZ_SCALE=40 for a longer hunt. The hypothesis database keeps failing examples between runs.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from newsbrief.clean import clean_article  # noqa: E402
from newsbrief.clean.chars import KINDS, strip_characters  # noqa: E402
from newsbrief.clean.html import html_lines, looks_like_html  # noqa: E402
from newsbrief.clean.normalize import comparison_key  # noqa: E402
from newsbrief.model import Article  # noqa: E402
from newsbrief.readers import read_inputs  # noqa: E402

SCALE = max(1, int(os.environ.get("NEWSBRIEF_FUZZ_SCALE", "1")))  # a longer hunt: NEWSBRIEF_FUZZ_SCALE=40
_CHECKS = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]
FAST = settings(max_examples=25 * SCALE, deadline=None, suppress_health_check=_CHECKS)
FEW = settings(max_examples=8 * SCALE, deadline=None, suppress_health_check=_CHECKS)

# -- inputs ------------------------------------------------------------------------------------------

WORDS = ("council budget mayor schools vote minister talks envoy city harbour bridge police strike port "
         "workers union court judge ruling election party leader rain flood river officials residents").split()
SENTENCE = st.builds(
    lambda subject, verb, obj, n, day, src: f"The {subject} {verb} the {obj} of {n} on {day}, {src} said.",
    st.sampled_from(WORDS), st.sampled_from(["approved", "rejected", "discussed", "delayed", "announced"]),
    st.sampled_from(WORDS), st.integers(0, 10_000),
    st.sampled_from(["Monday", "Tuesday", "Friday", "May 4", "2 June 2021"]),
    st.sampled_from(["officials", "the agency", "a spokesman", "Reuters", "local media"]),
)
BOILERPLATE = st.sampled_from([
    "Advertisement", "Share this article", "Post a Comment", "12 comments", "Tags: ports, strikes, labour",
    "Read more: Why the port matters", "151.jpg", "IMG_2044.JPEG", "Check Also", "Related:", "Exit mobile version",
    "Copyright 2024 Coastal Times. All rights reserved.", "Mon, 28 May 2007", "Photo: AP", "<< Home",
    "https://example.com/news/story", "Click here to subscribe to our newsletter", "=====", "By Jane Doe",
    "Media playback is unsupported on your device", "Главные новости дня читайте на нашем сайте", "هیچ نظری",
    "Council approves budget", "Story highlights", "Follow us on Twitter", "[Read the full report]",
])
ODD = st.sampled_from([
    "\x1b[31m", "\x1b[0m", "\x1b]0;title\x07", "\x07", "\x00", "\x08", "\x7f", "\x85", "\x9b", "\x1c",
    "\u00ad", "\u200b", "\u200d", "\u200c", "\u200e", "\u200f", "\u202e", "\u2066", "\u2060", "\ufeff",
    "\ud83d", "\udc00", "\ufffd", "\uffff", "\u2028", "\u2029", "\x0c", "\x0b", "\t", "  ", "\r",
    "👩\u200d⚖️", "e\u0301", "\u05e9\u05dc\u05d5\u05dd", "گفت\u200cوگو", "\u0645\u0631\u062d\u0628\u0627",
    "Z\u0351\u0352\u0353", "\U0001f1fa\U0001f1f8", "ﬁ", "İ", "ß",
])
FREE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)  # any Unicode but surrogates


@st.composite
def noisy_line(draw) -> str:
    line = draw(st.one_of(SENTENCE, SENTENCE, SENTENCE, BOILERPLATE, FREE,
                          st.lists(SENTENCE, min_size=2, max_size=3).map(" ".join)))
    for _ in range(draw(st.integers(0, 2))):  # odd characters anywhere in the line
        at = draw(st.integers(0, len(line)))
        line = line[:at] + draw(ODD) + line[at:]
    return line


@st.composite
def raw_text(draw) -> str:
    lines = draw(st.lists(st.one_of(noisy_line(), st.just("")), min_size=1, max_size=14))
    if len(lines) > 2 and draw(st.booleans()):  # a repeated paragraph
        lines.append(lines[draw(st.integers(0, len(lines) - 1))])
    return "\n".join(lines)


# -- the accounting check ---------------------------------------------------------------------------


def _nonspace(s: str) -> str:
    return "".join(c for c in s if not c.isspace())


def _take_subsequence(line: str, chars: str) -> str | None:
    """`line` without `chars`, taken in order as a subsequence of it; None if they are not one."""
    out, i = [], 0
    for c in line:
        if i < len(chars) and c == chars[i]:
            i += 1
        else:
            out.append(c)
    return "".join(out) if i == len(chars) else None


def _interleaves(raw: str, text: str, pieces: list[str], budget: int = 500_000) -> bool:
    """Whether `raw` is `text` (in order) interleaved with every piece once, each as a contiguous run."""
    counts = Counter(p for p in pieces if p)
    keys = sorted(counts)
    stack = [(0, 0, tuple(counts[k] for k in keys))]
    seen: set = set()
    while stack:
        state = stack.pop()
        if state in seen:
            continue
        seen.add(state)
        assert len(seen) < budget, "accounting search too large for this example"
        p, t, left = state
        if p == len(raw):
            if t == len(text) and not any(left):
                return True
            continue
        for i, k in enumerate(keys):
            if left[i] and raw.startswith(k, p):
                stack.append((p + len(k), t, left[:i] + (left[i] - 1,) + left[i + 1:]))
        if t < len(text) and raw[p] == text[t]:
            stack.append((p + 1, t + 1, left))  # tried first
    return False


def assert_every_character_accounted(raw: str, article: Article) -> None:
    lines = re.sub("[\ud800-\udfff]", "\ufffd", raw.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    pieces = []
    for r in article.removed:
        assert r.reason and r.text, r
        if r.reason.startswith(KINDS):
            assert r.line is not None and 1 <= r.line <= len(lines), r
            rest = _take_subsequence(lines[r.line - 1], r.text)
            assert rest is not None, f"{r} lists characters its line does not hold: {lines[r.line - 1]!r}"
            lines[r.line - 1] = rest
        else:
            assert r.line is None or 1 <= r.line <= len(lines), r
            pieces.append(_nonspace(r.text))
    source, kept = _nonspace("\n".join(lines)), _nonspace(article.text)
    listed = sum(map(len, pieces))
    assert len(source) == len(kept) + listed, (
        f"{len(source)} raw characters, {len(kept)} kept + {listed} listed: "
        + ("some were lost unlisted" if len(source) > len(kept) + listed else "some were listed twice or invented"))
    assert _interleaves(source, kept, pieces), "the kept text and the removals do not make up the raw text"


def assert_well_formed(article: Article) -> None:
    t = article.text
    assert t == t.strip() and "\n\n\n" not in t
    for p in t.split("\n\n") if t else []:
        assert p and p == p.strip() and "\n" not in p
    fields = {k: v for k, v in article.__dict__.items() if k != "raw"}  # raw is the input as given
    json.dumps(fields | {"removed": [r.to_dict() for r in article.removed]}, ensure_ascii=False).encode("utf-8")
    assert not re.search("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd]", t)


# -- the cleaner ------------------------------------------------------------------------------------


@FAST
@given(raw_text())
def test_cleaner_keeps_or_lists_every_character(raw):
    assume(not looks_like_html(raw))
    a = clean_article(Article(id="p", raw=raw))
    assert_well_formed(a)
    assert_every_character_accounted(raw, a)
    again = clean_article(Article(id="p", raw=raw))
    assert (again.text, again.removed) == (a.text, a.removed)  # a pure function of the raw text


MARKUP = st.sampled_from(["", "", "<!-- a comment -->", "<script>var x = 1;</script>", "<br>", "&amp;", "&#8203;",
                          "&shy;", "<p>unclosed", "<img alt='a picture'>", "</div>", "<style>p {}</style>", "&nbsp;"])


@FAST
@given(st.lists(st.tuples(st.one_of(noisy_line(), BOILERPLATE), MARKUP), min_size=1, max_size=8),
       st.lists(st.sampled_from(["nav", "footer", "aside", "div", "section", "article", "p", "h1", "li", "span"]),
                min_size=1, max_size=8), st.booleans())
def test_every_visible_page_line_is_kept_or_listed(pieces, tags, page):
    from html import escape

    texts = [t for t, _ in pieces]
    blocks = "".join(f"<{tag}>{escape(t)}{markup}</{tag}>" for (t, markup), tag in zip(pieces, tags * len(pieces)))
    html = f"<html><head><title>{escape(texts[0])}</title></head><body>{blocks}</body></html>" if page else \
        f"<div>{blocks}</div>"
    a = clean_article(Article(id="h", raw=html))
    assert_well_formed(a)
    targets = [f" {comparison_key(t)} " for t in (a.text, a.title, *(r.text for r in a.removed))]
    for line in html_lines(strip_characters(html)[0]):  # as the cleaner sees the page
        assert _covered(comparison_key(line).split(), targets), (line, a.text, a.removed)


def _covered(words: list[str], targets: list[str]) -> bool:
    """Whether `words` are runs of whole words of the targets, one after the other (a page line may be
    split: a headline taken to the metadata, the rest kept)."""
    ok = [True] + [False] * len(words)
    for i in range(1, len(words) + 1):
        ok[i] = any(ok[j] and any(f" {' '.join(words[j:i])} " in t for t in targets) for j in range(i))
    return ok[-1]


# -- the readers ------------------------------------------------------------------------------------

JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=False),
                        FREE, SENTENCE)
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                               st.dictionaries(FREE, inner, max_size=3)),
                          max_leaves=8)
FIELD = st.one_of(JSON_VALUE, SENTENCE, raw_text())
ARTICLE_OBJECT = st.fixed_dictionaries({}, optional={
    "text": st.one_of(raw_text(), raw_text(), JSON_VALUE), "id": st.one_of(st.sampled_from(["x", "x-2", "doc2", ""]),
                                                                          JSON_VALUE),
    "title": FIELD, "source": FIELD, "url": FIELD, "path": FIELD, "date": FIELD,
    "documents": st.lists(st.one_of(raw_text(), JSON_VALUE), max_size=3),
})


def _units(item) -> int:
    """How many articles a JSON item can give: one per document of a benchmark row, else one."""
    if isinstance(item, dict) and isinstance(item.get("documents"), list):
        return len(item["documents"])
    return 1


def _no_repr_coercion(a: Article, item: dict) -> None:
    """A field given as a list, an object or a boolean never becomes its Python repr."""
    for name in ("title", "source", "url", "path"):
        v = item.get(name)
        if isinstance(v, (list, dict, bool)):
            assert getattr(a, name) != str(v), (name, v)


@FEW
@given(st.lists(st.one_of(ARTICLE_OBJECT, JSON_VALUE), min_size=1, max_size=5), st.booleans(), st.booleans())
def test_json_and_jsonl_files_never_lose_an_article_silently(tmp_path_factory, items, as_jsonl, surrogate):
    folder = tmp_path_factory.mktemp("json")
    path = folder / ("items.jsonl" if as_jsonl else "items.json")
    text = "\n".join(json.dumps(obj) for obj in items) if as_jsonl else json.dumps(items)
    if surrogate:
        text = text.replace("e", "\\ud83de", 1)  # a lone surrogate escape (may break the JSON: fine too)
    path.write_text(text, encoding="utf-8")
    articles, warnings = read_inputs([path])
    assert all(w and "\n" not in w for w in warnings)
    for a in articles:
        assert_well_formed(a)
    assert len({a.id for a in articles}) == len(articles)
    if surrogate:
        return
    # every article a JSON item could give is an article, or a warning that ends "skipped" names it
    skipped = [w for w in warnings if w.endswith("skipped")]
    if not as_jsonl and any(w.startswith(f"{path}:") for w in skipped):  # the file as a whole
        assert articles == [] and len(skipped) == 1, warnings
    else:
        assert len(articles) + len(skipped) == sum(map(_units, items)), (items, warnings)
    by_raw = {a.raw: a for a in articles}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("text"), str) and item["text"] in by_raw:
            _no_repr_coercion(by_raw[item["text"]], item)


NESTING = st.integers(1, 200_000)


@FEW
@given(NESTING, st.sampled_from(["[", "{\"a\":", "[{\"text\": "]), st.booleans(), st.sampled_from([".json", ".jsonl"]))
def test_deeply_nested_json_is_refused_with_one_warning(tmp_path_factory, depth, opener, balanced, ext):
    closer = {"[": "]", "{\"a\":": "}", "[{\"text\": ": "}]"}[opener]
    deep = opener * depth + ("1" + closer * depth if balanced else "")
    good = json.dumps({"id": "ok", "text": "The council approved the budget on Tuesday, officials said."})
    path = tmp_path_factory.mktemp("deep") / f"deep{ext}"
    path.write_text(deep + ("\n" + good if ext == ".jsonl" else ""), encoding="utf-8")
    articles, warnings = read_inputs([path])
    assert all("\n" not in w for w in warnings)
    if ext == ".jsonl":
        assert [a.id for a in articles] == ["ok"]
    assert warnings or articles


@FAST
@given(st.binary(max_size=600), st.sampled_from([".txt", ".html", ".json", ".jsonl", ".md"]))
def test_any_bytes_in_any_file_give_articles_or_a_warning(tmp_path_factory, data, ext):
    path = tmp_path_factory.mktemp("bytes") / f"f{ext}"
    path.write_bytes(data)
    articles, warnings = read_inputs([path])
    assert articles or any(str(path) in w for w in warnings)
    assert all("\n" not in w for w in warnings)
    for a in articles:
        assert_well_formed(a)


@FAST
@given(st.one_of(st.binary(max_size=400), raw_text().map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_stdin_gives_articles_or_one_line_warnings(monkeypatch, data):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape"))
    articles, warnings = read_inputs(["-"])
    assert articles or warnings
    assert all("\n" not in w for w in warnings)
    for a in articles:
        assert_well_formed(a)


@FEW
@given(st.lists(raw_text(), min_size=1, max_size=3))
def test_plain_text_accounting_holds_through_the_reader_and_spans_are_exact(texts):
    import newsbrief

    articles, warnings = read_inputs(texts)
    for a in articles:
        if not looks_like_html(a.raw):
            assert_every_character_accounted(a.raw, a)  # the reader's raw: lone surrogates are U+FFFD there
    try:
        b = newsbrief.brief(texts, words=60)
    except newsbrief.pipeline.NoUsableInput:
        return
    arts = {a.id: a for a in b.articles}
    for s in b.summary:
        assert s.spans and s.sources
        for sp in s.spans:
            assert arts[sp.article].text[sp.start:sp.end] == sp.text
    json.dumps(b.to_dict(), ensure_ascii=False).encode("utf-8")


# -- the API ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from fastapi.testclient import TestClient

    sys.path.insert(0, str(Path(__file__).parent))
    from fakes import fake_brief

    from newsbrief.web.routes import create_app
    from newsbrief.web.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("api"), brief_fn=fake_brief, workers=1)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def _check_response(r) -> None:
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        body = r.json()
        assert isinstance(body["error"], str) and body["error"] and "Traceback" not in r.text


BODY = st.one_of(
    JSON_VALUE,
    st.fixed_dictionaries({"articles": st.lists(st.one_of(ARTICLE_OBJECT, JSON_VALUE), max_size=3)},
                          optional={"words": JSON_VALUE, "format": JSON_VALUE, "include_text": JSON_VALUE}),
)


@FAST
@given(BODY, st.booleans())
def test_api_json_bodies_are_briefs_or_clean_4xx(api, body, surrogate):
    raw = json.dumps(body)
    if surrogate:
        raw = raw.replace("e", "\\ud83de", 1)
    _check_response(api.post("/api/briefs", content=raw.encode(), headers={"content-type": "application/json"}))


@FAST
@given(st.lists(st.tuples(st.sampled_from(["a.txt", "b.json", "c.jsonl", "d.html", "e.exe", "../f.txt", ""]),
                          st.one_of(st.binary(max_size=300), BODY.map(lambda b: json.dumps(b).encode()),
                                    raw_text().map(lambda s: s.encode("utf-8", "surrogatepass")),
                                    st.sampled_from([b'[{"text": "\\ud83d The council met on Monday."}]',
                                                     b'{"articles": [{"text": "\\ud83d The council met."}]}']))),
                min_size=1, max_size=3),
       st.one_of(st.none(), BODY.map(json.dumps), FREE))
def test_api_uploads_are_briefs_or_clean_4xx(api, files, articles_field):
    data = {"articles": articles_field} if articles_field is not None else {}
    upload = [("files", (name, content, "application/octet-stream")) for name, content in files]
    _check_response(api.post("/api/briefs", files=upload, data=data))
