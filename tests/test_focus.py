"""Update briefs (--since) and question-focused briefs (--query) on the bundled example (issue 17)."""

import json
from pathlib import Path

import pytest

import newsbrief
from newsbrief.model import Brief

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "us-iran-talks"
JULY = EXAMPLE / "003_0fcf253dab18fe18.txt"  # the second round of talks, in July
MAY = sorted(str(p) for p in EXAMPLE.glob("*.txt") if p != JULY)


@pytest.fixture(scope="module")
def update_brief() -> Brief:
    return newsbrief.brief([str(JULY)], words=150, since=MAY)


def test_update_brief_cites_only_the_new_article(update_brief):
    assert update_brief.mode == "update"
    assert update_brief.summary
    assert {s.sources[0] for s in update_brief.summary} == {update_brief.articles[0].id}
    assert [a.id for a in update_brief.earlier] == [Path(p).stem for p in MAY]


def test_update_brief_restates_nothing_of_the_may_articles(update_brief):
    from newsbrief.embed import get_embedder
    from newsbrief.segment import segment_article
    from newsbrief.update import MIN_LEXICAL, restating

    earlier = [s.text for a in update_brief.earlier for s in segment_article(a)]
    assert not any(restating([s.text for s in update_brief.summary], earlier, get_embedder(), MIN_LEXICAL))
    texts = " ".join(s.text for s in update_brief.summary)
    assert "since the last meeting in May" in texts  # what changed: militia activity went up since May
    assert "first high-level direct official talks" not in texts


def test_update_brief_says_what_changed_with_both_citations(update_brief):
    meeting = [c for c in update_brief.changes if c.measure == "meeting"]
    assert meeting, update_brief.changes
    c = meeting[0]
    assert c.new.sources == [update_brief.articles[0].id] and c.new.citations[0].text.startswith("second")
    assert c.old.sources and set(c.old.sources) <= {a.id for a in update_brief.earlier}
    assert c.old.citations[0].text.lower().startswith("first")
    for side, articles in ((c.new, update_brief.articles), (c.old, update_brief.earlier)):
        texts = {a.id: a.text for a in articles}
        for sp in side.citations + side.sentences:
            assert texts[sp.article][sp.start:sp.end] == sp.text
    md = update_brief.to_markdown()
    assert "## What changed since the earlier coverage" in md and "## Earlier coverage" in md
    n_old = update_brief.citation_number(c.old.sources[0])
    assert n_old > len(update_brief.articles) and f"[{n_old}]" in md


def test_update_brief_json_round_trip_and_since_a_saved_brief(update_brief, tmp_path):
    d = json.loads(update_brief.to_json())
    assert d["mode"] == "update" and d["since"] == [a.id for a in update_brief.earlier]
    assert len(d["earlier_articles"]) == len(MAY) and d["changes"]
    back = Brief.from_dict(d)
    assert back.mode == "update" and len(back.changes) == len(update_brief.changes)
    assert back.to_json() == update_brief.to_json()
    saved = tmp_path / "may.json"
    saved.write_text(newsbrief.brief(MAY, words=150).to_json(), encoding="utf-8")
    again = newsbrief.brief([str(JULY)], words=150, since=[str(saved)])
    assert [s.text for s in again.summary] == [s.text for s in update_brief.summary]


@pytest.fixture(scope="module")
def detainees() -> Brief:
    return newsbrief.brief([str(EXAMPLE)], words=150, query="What happened to the detainees?")


def test_question_about_the_detainees_is_answered_with_the_detainee_sentences(detainees):
    assert detainees.mode == "query" and detainees.answered is True
    first = detainees.summary[0].text
    assert "detainees" in first or "detained" in first
    detained = [s for s in detainees.summary if "detain" in s.text]
    assert len(detained) >= 2
    assert detainees.summary[0].relevance == 1.0
    assert [s.relevance for s in detainees.summary] == sorted((s.relevance for s in detainees.summary), reverse=True)
    md = detainees.to_markdown()
    assert "**Question:** What happened to the detainees?" in md
    assert json.loads(detainees.to_json())["answered"] is True


def test_question_restricts_the_analysis(detainees):
    generic = newsbrief.brief([str(EXAMPLE)], words=150)
    assert len(detainees.quotes) < len(generic.quotes)
    assert len(detainees.entities) <= len(generic.entities)


def test_unanswerable_question_says_so():
    b = newsbrief.brief([str(EXAMPLE)], words=150, query="What is the price of oil in Venezuela?")
    assert b.answered is False
    assert "Nothing in these articles answers this question" in b.to_markdown()
    assert "Nothing in these articles answers this question" in b.to_html()
    assert b.summary  # the general brief follows


def test_cli_since_and_query(tmp_path):
    from typer.testing import CliRunner

    from newsbrief.cli import app

    runner = CliRunner()
    args = ["brief", str(JULY), "--format", "json"]
    for p in MAY:
        args += ["--since", p]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["mode"] == "update"
    res = runner.invoke(app, ["brief", str(EXAMPLE), "--query", "What happened to the detainees?"])
    assert res.exit_code == 0 and "**Question:**" in res.stdout


def test_eval_runs_the_update_and_query_modes(tmp_path):
    from newsbrief.bench.evaluate import run_eval
    from newsbrief.bench.focus import update_context

    docs = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLE.glob("*.txt"))]
    ref = "The US and Iran met in Baghdad. Iran offered to train the Iraqi army."
    rows = [
        {"id": "T1-A", "update_set": "A", "documents": docs[:3], "summaries": [ref],
         "query": {"title": "US-Iran talks", "narrative": "Describe the talks between the US and Iran."}},
        {"id": "T1-B", "update_set": "B", "documents": docs[3:], "summaries": [ref]},
    ]
    path = tmp_path / "update.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    ctx = update_context(rows)
    assert [a.id for a in ctx["T1-B"].since] == ["A-d1", "A-d2", "A-d3"] and not ctx["T1-A"].since
    res = run_eval(path, words=100, recall=True, focus=True, progress=False)
    assert res["clusters"] == 2 and res["systems"]["newsbrief"]["r1"] > 0


def test_stories_state_says_what_changed_in_a_story(tmp_path):
    from newsbrief.stories import run_stories
    from newsbrief.readers import read_inputs

    may, _ = read_inputs(MAY)
    july, _ = read_inputs([str(JULY)])
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": a.id, "text": a.text}) + "\n" for a in may), encoding="utf-8")
    out, state = tmp_path / "out", tmp_path / "state.npz"
    options = {"embeddings": False, "analysis": False}
    first = run_stories(corpus, out, state_path=state, progress=False, brief_options=options)
    assert len(first["stories"]) == 1 and "update_json" not in first["stories"][0]
    with corpus.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"id": july[0].id, "text": july[0].text}) + "\n")
    second = run_stories(corpus, out, state_path=state, progress=False, brief_options=options)
    story = second["stories"][0]
    assert story["new_articles"] == 1 and story["what_changed"]
    update = json.loads((out / story["update_json"]).read_text(encoding="utf-8"))
    assert update["mode"] == "update" and [a["id"] for a in update["articles"]] == [july[0].id]
    assert {s["sources"][0] for s in update["summary"]} == {july[0].id}
    assert "what changed" in (out / "index.md").read_text(encoding="utf-8")
