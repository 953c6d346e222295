"""The ROUGE protocol (shared/data/README.md), the harness and the baselines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsbrief.bench import evaluate as ev  # noqa: E402
from newsbrief.bench.baselines import BASELINES, cluster_articles, make_baseline  # noqa: E402
from newsbrief.segment import segment_article  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SUMREPO = DATA / "duc2004_task2_sumrepo_system_summaries.jsonl"
DUC2004 = DATA / "duc2004_task2.jsonl"

# shared/data/README.md: SumRepo outputs on DUC 2004, rouge-score, 100 words, R-1 / R-2 recall
PUBLISHED = {
    "Lead": (30.64, 6.17),
    "LexRank": (34.75, 7.32),
    "Centroid": (35.20, 7.74),
    "FreqSum": (34.38, 7.96),
    "TsSum": (34.77, 7.93),
    "GreedyKL": (36.81, 8.35),
    "CLASSY04": (36.46, 8.75),
    "CLASSY11": (35.93, 8.93),
    "Submodular": (38.09, 9.10),
    "OCCAMS_V": (37.13, 9.41),
    "RegSum": (37.47, 9.57),
    "ICSISumm": (37.19, 9.57),
    "DPP": (38.61, 9.31),
}


@pytest.mark.skipif(not (SUMREPO.exists() and DUC2004.exists()), reason="shared/data not beside the clone")
def test_reproduces_published_duc2004_table():
    got = ev.score_system_file(SUMREPO, DUC2004, words=100, measure="recall")
    assert set(PUBLISHED) <= set(got)
    for name, (r1, r2) in PUBLISHED.items():
        assert got[name]["clusters"] == 50
        assert got[name]["r1"] == pytest.approx(r1, abs=0.05), name
        assert got[name]["r2"] == pytest.approx(r2, abs=0.05), name


def test_cached_tokenizer_is_the_default_tokenizer():
    from rouge_score import rouge_scorer, tokenizers

    text = (
        "Cambodia's bickering parties broke a three-month deadlock Friday, agreeing (finally) to "
        "a coalition; running runners ran 1,200 km. Hun Sen's CPP won 64 of 122 seats!"
    )
    ref = "The parties agreed to a coalition government.\nHun Sen remains prime minister, running the CPP."
    assert ev.get_scorer()._tokenizer.tokenize(text) == tokenizers.DefaultTokenizer(True).tokenize(text)
    plain = rouge_scorer.RougeScorer(list(ev.ROUGE_TYPES), use_stemmer=True)
    for _ in range(2):  # second time from the cache
        assert ev.get_scorer().score(ref, text) == plain.score(ref, text)
    assert ev.get_scorer() is ev.get_scorer()


def test_word_cut_applies_to_system_only():
    ref = "one two three four five six seven eight nine ten"
    # the system equals the reference; cut to 4 words it recalls 4 of the 10 reference words
    s = ev.score_summary(ref, [ref], words=4, measure="recall")
    assert s["r1"] == pytest.approx(40.0)
    assert s["r2"] == pytest.approx(100 * 3 / 9)  # 3 of the 9 reference bigrams
    # the reference is never cut: a 4-word system against a 10-word reference
    s = ev.score_summary("one two three four", [ref], words=4, measure="recall")
    assert s["r1"] == pytest.approx(40.0)
    f = ev.score_summary("one two three four", [ref], words=4, measure="f1")
    assert f["r1"] == pytest.approx(100 * 2 * 0.4 * 1.0 / 1.4)


def test_cut_keeps_sentence_boundaries():
    assert ev.cut_words(["A b c.", "D e\nf.", "G h."], 5) == ["A b c.", "D e"]
    assert ev.system_text(["A b c.", "D e f.", "G h."], 4) == "A b c.\nD"
    assert ev.system_text(["A b c.", "D e f."], None) == "A b c.\nD e f."
    # a string summary is split with newsbrief.segment, then cut
    assert ev.system_text("The cat sat. The dog ran away.", 5) == "The cat sat.\nThe dog"


def test_lsum_uses_one_sentence_per_line():
    assert ev.reference_text("The cat sat on the mat. Then it slept.") == "The cat sat on the mat.\nThen it slept."
    ref = "Alpha bravo charlie. Delta echo foxtrot."
    # sentences in the other order: summary-level LCS (one sentence a line) finds all six words,
    # one LCS over the whole text only three
    s = ev.score_summary(["Delta echo foxtrot.", "Alpha bravo charlie."], [ref], words=100, measure="recall")
    assert s["rlsum"] == pytest.approx(100.0)
    assert s["r1"] == pytest.approx(100.0)
    scorer = ev.get_scorer()
    flat = scorer.score(ref, "Delta echo foxtrot. Alpha bravo charlie.")["rougeLsum"].recall
    assert flat == pytest.approx(0.5)


def test_mean_over_references_then_clusters():
    rows = [
        {"id": "c1", "documents": [], "summaries": ["alpha bravo", "charlie delta"]},
        {"id": "c2", "documents": [], "summaries": ["alpha bravo charlie delta"]},
    ]
    outputs = {"c1": ["alpha bravo"], "c2": ["alpha"]}
    res = ev.evaluate(rows, {"sys": lambda row: outputs[row["id"]]}, words=100, measure="recall", progress=False)
    r = res["systems"]["sys"]
    # c1: refs give 1.0 and 0.0 -> 0.5; c2: 1 of 4 words -> 0.25; mean over clusters 0.375
    # (pooling the three references would give 0.4167)
    assert [p["r1"] for p in r["per_cluster"]] == pytest.approx([50.0, 25.0])
    assert r["r1"] == pytest.approx(37.5)
    assert res["clusters"] == 2 and res["measure"] == "recall"
    sub = ev.subset_results(res, ["c2"])
    assert sub["clusters"] == 1 and sub["systems"]["sys"]["r1"] == pytest.approx(25.0)
    md = ev.markdown_table(res)
    assert "| sys | 37.50 |" in md


DOCS = [
    "Heavy rain flooded the river valley on Monday. Thousands of residents left their homes.\n\n"
    "Officials said the water would keep rising until Wednesday. Schools in the valley stayed closed.",
    "The river burst its banks after three days of rain, officials said. Rescue teams used boats to reach "
    "stranded families.\n\nThe mayor asked people to avoid the flooded roads.",
    "Forecasters expect more rain later this week in the valley. The regional government released "
    "emergency funds for the flooded towns on Tuesday.",
]


@pytest.mark.parametrize("name", BASELINES)
@pytest.mark.parametrize("words", [12, 30, 1000])
def test_baselines_respect_budget_and_are_verbatim(name, words):
    articles = cluster_articles(DOCS)
    summary = make_baseline(name, words)({"id": "x", "documents": DOCS})
    assert summary, name
    assert sum(len(s.split()) for s in summary) <= words
    sentences = [s.text for a in articles for s in segment_article(a)]
    for s in summary:
        assert s in sentences  # whole sentences of the cleaned articles, verbatim
    assert len(set(summary)) == len(summary)


def test_lead_is_round_robin():
    articles = cluster_articles(DOCS)
    firsts = [segment_article(a)[0].text for a in articles]
    summary = make_baseline("lead", 1000)({"id": "x", "documents": DOCS})
    assert summary[: len(firsts)] == firsts


@pytest.mark.skipif(not DUC2004.exists(), reason="shared/data not beside the clone")
def test_baselines_on_a_real_cluster():
    row = json.loads(DUC2004.read_text(encoding="utf-8").splitlines()[0])
    for name in BASELINES:
        summary = make_baseline(name, 100)(row)
        n = sum(len(s.split()) for s in summary)
        assert 80 <= n <= 100, (name, n)
        assert ev.score_summary(summary, row["summaries"], 100, "recall")["r1"] > 20


def test_run_eval_prints_saves_and_returns(tmp_path):
    from rich.console import Console

    data = tmp_path / "tiny.jsonl"
    data.write_text(
        json.dumps({"id": "t1", "documents": DOCS, "summaries": ["Floods forced thousands from their homes."]}) + "\n"
    )
    out = tmp_path / "out.jsonl"
    console = Console(record=True, width=120)
    res = ev.run_eval(
        data,
        words=20,
        recall=True,
        save=out,
        baselines="lead,lexrank",
        system=lambda row: ["Thousands of residents left their homes."],
        progress=False,
        console=console,
    )
    assert list(res["systems"]) == ["newsbrief", "lead", "lexrank"]
    assert res["systems"]["newsbrief"]["r1"] > 0
    table = console.export_text()
    for col in ("R-1", "R-2", "R-Lsum", "s/cluster", "newsbrief", "lead", "lexrank"):
        assert col in table
    saved = [json.loads(line) for line in out.read_text().splitlines()]
    assert saved == [{"id": "t1", "summary": ["Thousands of residents left their homes."]}]
    with pytest.raises(ValueError):
        make_baseline("nope", 10)


def test_string_and_list_summaries_score_alike():
    refs = ["The storm hit the coast on Monday. Thousands fled their homes."]
    as_str = ev.score_summary("Thousands fled. The storm hit the coast.", refs, 100, "f1")
    as_list = ev.score_summary(["Thousands fled.", "The storm hit the coast."], refs, 100, "f1")
    assert as_str == pytest.approx(as_list)
    with pytest.raises(ValueError):
        ev.score_summary("x", refs, 100, "precision")


def test_empty_summaries_score_zero_and_are_counted():
    rows = [{"id": "c1", "documents": [], "summaries": ["alpha bravo"]}]
    res = ev.evaluate(rows, {"none": lambda row: []}, words=100, measure="f1", progress=False)
    r = res["systems"]["none"]
    assert (r["r1"], r["r2"], r["rlsum"], r["empty"]) == (0.0, 0.0, 0.0, 1)
    assert "Empty summaries (scored 0): none 1" in ev.markdown_table(res)


@pytest.mark.parametrize("content, message", [
    (b"", "{path}: no clusters (an empty file)"),
    (b"\n  \n", "{path}: no clusters (an empty file)"),
    (b'{"id": "a", "documents": ["x"], "summaries": ["y"]}\n{"id": "b", "documents": \n',
     "{path}:2: invalid JSON (Expecting value, column 26)"),
    (b'\n\n[1, 2]\n', "{path}:3: not a cluster object (a list)"),
    (b'{"id": "a", "summaries": ["y"]}\n', "{path}:1: no 'documents' list"),
    (b'{"id": "a", "documents": ["x"], "summaries": []}\n', "{path}:1: no reference 'summaries' (a list of texts)"),
    (b'{"id": "a", "documents": ["x", 5], "summaries": ["y"]}\n', "{path}:1: document 2 is not a text"),
    (b'{"id": "a", "documents": ["caf\xe9"], "summaries": ["y"]}\n', "{path}:1: not UTF-8 (byte 0xe9 at column 31)"),
    (b"[" * 100_000 + b"\n", "{path}:1: invalid JSON (nested too deeply)"),
])
def test_bad_benchmark_files_are_errors_naming_the_line(tmp_path, content, message):
    """Issue 14.14: an empty file printed a table of NaN and exited 0; bad rows gave errors without a line
    number."""
    path = tmp_path / "bench.jsonl"
    path.write_bytes(content)
    with pytest.raises(ev.BenchmarkError) as err:
        ev.run_eval(path, words=10, system=lambda row: ["x"], progress=False)
    assert str(err.value) == message.format(path=path)


def test_eval_command_limits_and_bad_files(tmp_path, monkeypatch, capsys):
    """Issue 14.14: --limit -1 dropped the last cluster and --limit 0 ran everything; an empty file exited 0."""
    import sys

    import newsbrief.cli

    rows = [{"id": f"c{i}", "documents": DOCS, "summaries": ["Floods forced thousands from their homes."]}
            for i in range(3)]
    data = tmp_path / "three.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    (tmp_path / "empty.jsonl").write_bytes(b"")

    def run(*args: str) -> tuple[int, str]:
        monkeypatch.setattr(sys, "argv", ["newsbrief", "eval", *args])
        with pytest.raises(SystemExit) as exit_:
            newsbrief.cli.main()
        return exit_.value.code, capsys.readouterr().err

    for bad in ("-1", "0"):
        code, err = run(str(data), "--limit", bad, "--baselines", "lead")
        assert code == 2 and "--limit" in err, err
    code, err = run(str(tmp_path / "empty.jsonl"))
    assert (code, err) == (1, f"newsbrief: error: {tmp_path / 'empty.jsonl'}: no clusters (an empty file)\n")
    code, err = run(str(tmp_path))
    assert (code, err) == (1, f"newsbrief: error: {tmp_path}: a directory, not a benchmark file\n")
    res = ev.run_eval(data, words=10, system=lambda row: ["Thousands fled."], progress=False, limit=2)
    assert res["clusters"] == 2 and [p["id"] for p in res["systems"]["newsbrief"]["per_cluster"]] == ["c0", "c1"]
    with pytest.raises(ValueError, match="at least 1"):
        ev.run_eval(data, words=10, system=lambda row: ["x"], progress=False, limit=0)
