"""Stories from a stream: grouping, near-duplicates, time window, incremental state, Dask, bad inputs."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from newsbrief import stories as st
from newsbrief.model import Article
from newsbrief.stories.features import day_number, iso_day

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
MULTILING = DATA / "multiling2011_english.jsonl"  # CC BY 3.0, MultiLing Pilot 2011 (WikiNews)


def bcubed_f1(pred: list[str], gold: list[str]) -> float:
    pc, gc, pg = Counter(pred), Counter(gold), Counter(zip(pred, gold, strict=True))
    p = sum(pg[(a, b)] / pc[a] for a, b in zip(pred, gold, strict=True)) / len(pred)
    r = sum(pg[(a, b)] / gc[b] for a, b in zip(pred, gold, strict=True)) / len(pred)
    return 2 * p * r / (p + r)


def multiling(n_clusters: int = 10, dated: bool = False) -> tuple[list[Article], list[str]]:
    if not MULTILING.exists():
        pytest.skip("shared benchmark data not available")
    arts, gold = [], []
    rows = [json.loads(line) for line in MULTILING.read_text(encoding="utf-8").splitlines() if line.strip()]
    for k, row in enumerate(rows[:n_clusters]):
        for i, doc in enumerate(row["documents"]):
            date = f"2020-{1 + k:02d}-{1 + i:02d}" if dated else None
            arts.append(Article(id=f"{row['id']}-{i}", raw=doc, text=doc, date=date))
            gold.append(row["id"])
    order = list(range(len(arts)))
    random.Random(7).shuffle(order)
    return [arts[i] for i in order], [gold[i] for i in order]


def rewrite(text: str, seed: int) -> str:
    """Shuffled paragraphs and a few changed words: a light rewrite."""
    rng = random.Random(seed)
    paras = [p for p in text.split("\n\n") if p.strip()]
    rng.shuffle(paras)
    words = "\n\n".join(paras).split(" ")
    for j in rng.sample(range(len(words)), max(1, len(words) // 40)):
        words[j] = words[j].upper()
    return " ".join(words)


def test_recovers_wikinews_clusters_and_is_deterministic():
    arts, gold = multiling()
    index = st.group_stories(arts)
    pred = index.labels([a.id for a in arts])
    assert bcubed_f1(pred, gold) >= 0.8
    again = st.group_stories(list(reversed(arts)))
    # undated articles are grouped in input order, so only the partition must agree (ids are
    # named after each story's first article)
    def pairs(idx):
        return {frozenset(s.articles) for s in idx.stories}

    assert bcubed_f1(again.labels([a.id for a in arts]), pred) > 0.95
    assert pairs(st.group_stories(arts)) == pairs(index)
    assert sum(s.size for s in index.stories) == len(arts)


def test_near_duplicate_copies_stay_together_and_window_applies():
    arts, _ = multiling(3, dated=True)
    base = arts[0]
    copies = [
        Article(id="copy-rewrite", raw="", text=rewrite(base.text, 1), date=base.date),
        Article(id="copy-redated", raw="", text=base.text, date=iso_day(day_number(base.date) + 2)),
        Article(id="copy-late", raw="", text=base.text, date=iso_day(day_number(base.date) + 60)),
    ]
    index = st.group_stories(arts + copies, window_days=7)
    story = index.assignments[base.id]
    assert index.assignments["copy-rewrite"] == story
    assert index.assignments["copy-redated"] == story
    assert index.duplicates["copy-rewrite"] == base.id
    assert index.duplicates["copy-redated"] == base.id
    # 60 days later is outside the window: not a copy of it, not in its story
    assert "copy-late" not in index.duplicates
    assert index.assignments["copy-late"] != story
    # a wide window puts it back
    wide = st.group_stories(arts + copies, window_days=90)
    assert wide.assignments["copy-late"] == wide.assignments[base.id]


def test_incremental_state_joins_existing_stories(tmp_path):
    arts, gold = multiling(6)
    first, second = arts[:40], arts[40:]
    state = st.new_state()
    one = st.group_stories(first, state=state)
    path = tmp_path / "state.npz"
    st.save_state(state, path)
    loaded = st.load_state(path)
    old_assign = dict(one.assignments)
    # the old articles again plus new ones: old ones are recognised and not regrouped
    two = st.group_stories(first + second, state=loaded)
    assert two.stats["new_articles"] == len(second)
    assert two.stats["known_articles_skipped"] == len(first)
    assert all(two.assignments[a] == s for a, s in old_assign.items())
    # most new articles joined stories that existed after the first run
    old_ids = set(old_assign.values())
    joined = sum(1 for a in second if two.assignments[a.id] in old_ids)
    assert joined >= 0.7 * len(second)
    pred = two.labels([a.id for a in arts])
    assert bcubed_f1(pred, gold) >= 0.75
    # the state is pickle-free
    import numpy as np

    with np.load(path, allow_pickle=False) as z:
        assert "art_sig" in z and z["art_sig"].shape == (40, st.NUM_PERM)


def test_chunking_does_not_change_the_result():
    arts, _ = multiling(5, dated=True)
    arts = arts + [Article(id=f"c{i}", raw="", text=rewrite(a.text, i), date=a.date) for i, a in enumerate(arts[:10])]
    a = st.group_stories(arts, chunk=7)
    b = st.group_stories(arts)
    assert a.assignments == b.assignments and a.duplicates == b.duplicates


def test_dask_local_cluster_gives_the_same_grouping():
    pytest.importorskip("distributed")
    arts, _ = multiling(5, dated=True)
    arts = arts + [Article(id=f"c{i}", raw="", text=rewrite(a.text, i), date=a.date) for i, a in enumerate(arts[:10])]
    single = st.group_stories(arts, chunk=9)
    with st.dask_client(workers=2) as client:
        assert client is not None
        assert all(w.startswith("tcp://127.0.0.1") for w in client.scheduler_info()["workers"])
        dist = st.group_stories(arts, client=client, chunk=9)
    assert dist.stats["distributed"]
    assert dist.assignments == single.assignments
    assert dist.duplicates == single.duplicates
    assert [s.articles for s in dist.stories] == [s.articles for s in single.stories]


def test_bad_inputs_are_reported_and_skipped(tmp_path):
    arts, _ = multiling(2)
    good = [{"id": a.id, "text": a.text, "source": "wikinews"} for a in arts[:6]]
    lines = [json.dumps(good[0]), json.dumps(good[1]), "{broken json", json.dumps({"id": "e", "text": "   "}),
             json.dumps(good[0] | {"text": "same id, other text " * 20}), json.dumps(good[2]),
             json.dumps({"id": "row1", "documents": [arts[3].text, "", arts[4].text]})]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "ok.txt").write_text(arts[5].text, encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02\xff\xfe binary \x00" * 50)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    got, warnings = st.read_corpus([corpus, folder])
    text = "\n".join(warnings)
    assert f"{corpus}:3" in text  # broken line, with its line number
    assert f"{corpus}:4" in text  # empty article
    assert f"{corpus}:5: duplicate article id {good[0]['id']!r}; renamed {good[0]['id'] + '-2'!r}" in text
    assert "document 2" in text  # empty benchmark document
    assert "bad.txt" in text and "empty.txt" in text
    ids = {a.id for a in got}
    # the ids `newsbrief brief` gives the same file (one reader)
    from newsbrief.readers import read_inputs

    assert [a.id for a in got] == [a.id for a in read_inputs([corpus, folder])[0]]
    assert {good[0]["id"], good[0]["id"] + "-2", good[1]["id"], good[2]["id"], "row1-d1", "row1-d3", "ok"} == ids
    # the API reports repeated ids and empty articles too
    index = st.group_stories(got + [Article(id="ok", raw="x", text="x"), Article(id="blank", raw="", text=" ")])
    assert any("duplicate article id 'ok'" in w for w in index.warnings)
    assert any("empty article 'blank'" in w for w in index.warnings)
    assert len(index.assignments) == 7


def test_run_stories_writes_briefs_and_index(tmp_path):
    arts, _ = multiling(3)
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as f:
        for a in arts[:18]:
            f.write(json.dumps({"id": a.id, "text": a.text, "source": f"site{len(a.id) % 3}"}) + "\n")
    out = tmp_path / "out"
    state = tmp_path / "state.npz"
    result = st.run_stories(corpus, out, state_path=state, progress=False, words=60,
                            brief_options={"embeddings": False, "analysis": False})
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert index["counts"]["stories"] == len(index["stories"]) == result["counts"]["stories"] >= 2
    for s in index["stories"]:
        assert s["article_count"] >= st.DEFAULT_MIN_SIZE and s["sources"] and s["title"]
        assert (out / s["json"]).exists() and (out / s["brief"]).exists() and s["brief"].endswith(".md")
        assert json.loads((out / s["json"]).read_text(encoding="utf-8"))["summary"]
    md = (out / "index.md").read_text(encoding="utf-8")
    assert md.startswith("# Stories") and "| # | story | articles |" in md
    assert state.exists()
    # a second run with the rest joins existing stories; unchanged stories keep their briefs
    with corpus.open("a", encoding="utf-8") as f:
        for a in arts[18:]:
            f.write(json.dumps({"id": a.id, "text": a.text}) + "\n")
    again = st.run_stories(corpus, out, state_path=state, progress=False, words=60,
                           brief_options={"embeddings": False, "analysis": False})
    assert again["counts"]["articles_grouped"] == len(arts) - 18
    assert again["counts"]["articles_in_state"] == len(arts)


def test_empty_and_wordless_inputs(tmp_path):
    empty = st.group_stories([])
    assert empty.stories == [] and empty.assignments == {}
    index = st.group_stories([Article(id="n", raw="", text="12 34 56 -- !!"), Article(id="m", raw="", text="a b")])
    assert set(index.assignments) == {"n", "m"}
    assert index.assignments["n"] != index.assignments["m"]
    assert any("no words" in w for w in index.warnings)
    folder = tmp_path / "nothing"
    folder.mkdir()
    with pytest.raises(st.NoUsableCorpus) as err:
        st.run_stories(folder, tmp_path / "out", progress=False)
    assert any("empty directory" in w for w in err.value.warnings)
    assert not (tmp_path / "out").exists()


def test_directory_with_jsonl_and_text_files(tmp_path):
    arts, _ = multiling(1)
    folder = tmp_path / "feed"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.jsonl").write_text(
        "\n".join(json.dumps({"id": a.id, "text": a.text}) for a in arts[:3]) + "\n" + json.dumps(
            {"id": arts[0].id, "text": arts[4].text}) + "\n", encoding="utf-8")
    (folder / "sub" / f"{arts[1].id}.txt").write_text(arts[5].text, encoding="utf-8")  # same name as an id
    (folder / "b.jsonl").write_bytes(b'{"id": "x", "text": "caf\xe9 ' + b"word " * 50 + b'"}\n')
    got, warnings = st.read_corpus(folder)
    assert any("a.jsonl:4" in w and "duplicate" in w for w in warnings)
    assert any(f"{arts[1].id}.txt" in w and "renamed" in w for w in warnings)
    by_id = {a.id: a for a in got}
    assert by_id["x"].text.startswith("café")  # Windows-1252, read like `newsbrief brief` reads it
    assert len(got) == 6 and len(by_id) == 6


def test_undated_articles_join_dated_ones_of_the_same_story():
    seeds = Path(__file__).parents[1] / "examples" / "us-iran-talks"
    articles, _ = st.read_corpus([str(seeds)])
    dated = [a for a in articles if a.date]
    assert dated and len(dated) < len(articles)  # the seeds mix dated and undated articles
    index = st.group_stories(articles)
    assert len({index.assignments[a.id] for a in articles}) == 1


# --- the command: warnings on stderr, exit codes, bad lines (issue 14 item 9) ---------------------


def _cli(*args: str) -> subprocess.CompletedProcess:
    root = Path(__file__).resolve().parents[1]
    return subprocess.run([sys.executable, "-m", "newsbrief.cli", "stories", *args], cwd=root,
                          capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})


def test_cli_missing_corpus_fails_loudly_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    r = _cli(str(tmp_path / "missing.jsonl"), "--out", str(out))
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert any("missing.jsonl: no such file or directory" in ln and ln.startswith("newsbrief: warning:")
               for ln in lines)
    assert lines[-1].startswith("newsbrief: error: no usable article")
    assert "Traceback" not in r.stderr and not out.exists()


def test_cli_bad_lines_are_skipped_with_their_line_numbers(tmp_path):
    arts, _ = multiling(2)
    good = [json.dumps({"id": a.id, "text": a.text}) for a in arts[:8]]
    corpus = tmp_path / "feed.jsonl"
    with corpus.open("wb") as f:
        f.write(("\n".join(good[:2]) + "\n").encode())
        f.write(b"[" * 100_000 + b"]" * 100_000 + b"\n")  # line 3: nested too deeply for the JSON parser
        f.write(("\n".join(good[2:4]) + "\n").encode())
        f.write(b'{"id": "half", "text": "cut off' + b"\n")  # line 6: broken JSON
        f.write(b'{"id": "bin", "text": "\x81\x8d\x8f\x90\x9d\x81\x8d"}\n')  # line 7: neither UTF-8 nor cp1252
        f.write(json.dumps({"id": "deep", "documents": [{"title": "T", "text": arts[8].text}]}).encode() + b"\n")
        f.write(("\n".join(good[4:]) + "\n").encode())
    out = tmp_path / "out"
    r = _cli(str(corpus), "--out", str(out), "--min-size", "1000")  # group only: no story is briefed
    assert r.returncode == 0, r.stderr
    warned = [ln for ln in r.stderr.splitlines() if ln.startswith("newsbrief: warning:")]
    assert len(warned) == 3
    assert f"{corpus}:3: invalid JSON line (nested too deeply)" in warned[0]
    assert f"{corpus}:6: invalid JSON line" in warned[1]
    assert f"{corpus}:7: undecodable line" in warned[2]
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert index["counts"]["articles_read"] == 9  # every good line, before and after the bad ones
    assert len(index["warnings"]) == 3
    assert "9 articles" in r.stdout


def test_cli_corpus_with_nothing_usable_exits_non_zero(tmp_path):
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text('{"broken": \n["not", "an", "article"]\n{"id": "x", "text": "  "}\n', encoding="utf-8")
    r = _cli(str(corpus), "--out", str(tmp_path / "out"))
    assert r.returncode == 1
    assert f"{corpus}:1: invalid JSON line" in r.stderr and f"{corpus}:2: not an article object" in r.stderr
    assert "newsbrief: error: no usable article" in r.stderr


def test_chunk_features_equal_one_article_features():
    import numpy as np

    from newsbrief.stories.features import featurize_chunk, featurize_one

    items = [("Pinochet arrested", "LONDON _ Britain arrested Augusto Pinochet. Pinochet's lawyers objected.\n\n"
              "Officials said the arrest was legal; officials in Chile protested."),
             ("", "a b"), ("", "Short text here.")]
    chunk = featurize_chunk(items)
    for i, (title, text) in enumerate(items):
        ix, w, sig = featurize_one(title, text)
        lo, hi = chunk["indptr"][i], chunk["indptr"][i + 1]
        assert np.array_equal(chunk["indices"][lo:hi], ix) and np.allclose(chunk["data"][lo:hi], w)
        if len(sig):
            assert np.array_equal(chunk["sigs"][i], sig)
    assert featurize_one(*items[0], signature=False)[2].size == 0


def test_headlines_drop_datelines_and_attributions():
    from newsbrief.stories.titles import headline_from_text, strip_dateline

    assert strip_dateline("WASHINGTON _ The New Economy is on trial") == "The New Economy is on trial"
    h = headline_from_text("BEIJING (AP) -- China will cut tariffs on farm goods next year, officials said Monday. "
                           "More follows.")
    assert h == "China will cut tariffs on farm goods next year"
    assert headline_from_text("Dr. Barnett Slepian was shot at home. Police searched.") == \
        "Dr. Barnett Slepian was shot at home"


def test_online_mode_and_state_report_new_updated_and_reopened(tmp_path):
    arts, gold = multiling(4, dated=True)
    online = st.group_stories(sorted(arts, key=lambda a: a.date), online=True)
    assert bcubed_f1(online.labels([a.id for a in arts]), gold) >= 0.8
    assert online.settings["online"] is True
    # a state run: a story gains an article 20 days after its last one (> REOPEN_DAYS) -> reopened
    whole = st.group_stories(arts)
    by_story: dict[str, list[Article]] = {}
    for a, g in zip(arts, gold, strict=True):
        by_story.setdefault(g, []).append(a)
    # a story the grouping keeps whole, and its latest article
    story = next(g for g in sorted(by_story) if len({whole.assignments[a.id] for a in by_story[g]}) == 1)
    late = max(by_story[story], key=lambda a: a.date)
    first = [a for a in arts if a.id != late.id]
    last_day = max(day_number(a.date) for a in by_story[story] if a.id != late.id)
    late = Article(id=late.id, raw=late.text, text=late.text, date=iso_day(last_day + 20))
    state = st.new_state()
    st.group_stories(first, state=state)
    again = st.group_stories(first + [late], state=state)
    statuses = Counter(s.status for s in again.stories)
    assert statuses["unchanged"] >= 1 and statuses["new"] == 0
    grown = again.story(again.assignments[late.id])
    assert grown.status == "updated" and grown.reopened and grown.new_articles == 1


def test_split_into_stories_partitions_the_input():
    arts, gold = multiling(3)
    groups = st.split_into_stories(arts[:20])
    assert sorted(a.id for g in groups for a in g) == sorted(a.id for a in arts[:20])
    assert [len(g) for g in groups] == sorted((len(g) for g in groups), reverse=True)


def test_html_index_lists_titles_outlets_and_dates(tmp_path):
    arts, _ = multiling(2, dated=True)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": a.id, "text": a.text, "date": a.date, "source": f"o{i % 2}"}) + "\n"
                              for i, a in enumerate(arts)), encoding="utf-8")
    out = tmp_path / "out"
    r = st.run_stories(corpus, out, fmt="html", jobs=1, progress=False, words=50,
                       brief_options={"embeddings": False, "analysis": False})
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<th>outlets</th>" in page
    for s in r["stories"]:
        assert s["title"] and s["first_date"] and s["brief"].endswith(".html") and (out / s["brief"]).exists()
        assert any(f"o{k}" in page for k in (0, 1))


def test_minhash_permutations_are_datasketchs():
    import numpy as np
    from datasketch import MinHash

    from newsbrief.stories import features

    a, b = MinHash(num_perm=features.NUM_PERM, seed=1, scheme="affine32").permutations
    mine_a, mine_b = features._permutations()
    assert np.array_equal(mine_a, np.asarray(a, dtype=np.uint32))
    assert np.array_equal(mine_b, np.asarray(b, dtype=np.uint32))


def test_known_lsh_params_are_datasketchs_choice():
    from datasketch import MinHashLSH

    from newsbrief.stories import duplicates, features

    for (threshold, num_perm), params in duplicates._KNOWN_PARAMS.items():
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        assert (lsh.b, lsh.r) == params
    assert (duplicates.DUP_THRESHOLD, features.NUM_PERM) in duplicates._KNOWN_PARAMS
