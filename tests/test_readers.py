"""Readers: every input format, ids, warnings for bad inputs (never a traceback)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from newsbrief.model import Article
from newsbrief.readers import articles_from_documents, read_benchmark, read_inputs

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "us-iran-talks"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_directory_of_text_files():
    articles, warnings = read_inputs([str(SEEDS)])
    files = sorted(SEEDS.glob("*.txt"))
    assert warnings == []
    assert [a.id for a in articles] == [f.stem for f in files]
    assert articles[0].id == "000_a183c4428c7c4876"
    for a, f in zip(articles, files):
        assert a.raw == f.read_text(encoding="utf-8")
        assert a.path == str(f)
        assert a.text and a.text != a.raw


def test_directory_recursive_sorted_and_hidden_skipped_with_a_warning(tmp_path):
    """Issue 14.18: hidden files in directories were skipped without a warning."""
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Second article body. It has a sentence.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First article body. It has a sentence.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden file body. It is skipped.", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")  # not an article type
    articles, warnings = read_inputs(tmp_path)
    assert [a.id for a in articles] == ["a", "2"]
    assert warnings == [f"{tmp_path}: 1 hidden file not read (.hidden.txt); pass a hidden file by name to read it"]
    (a,), warnings = read_inputs(tmp_path / ".hidden.txt")
    assert a.id == ".hidden" and warnings == []


def test_html_through_trafilatura():
    articles, warnings = read_inputs([FIXTURES / "article.html"])
    assert warnings == []
    (a,) = articles
    assert a.id == "article"
    assert a.title == "Harbour bridge reopens after repairs"
    assert a.date == "2024-03-05"
    assert a.source == "Coastal Times"
    assert a.url == "https://coastal-times.example/news/harbour-bridge-reopens"
    assert a.raw.startswith("<!DOCTYPE html>")
    assert a.text.startswith("The harbour bridge reopened to traffic on Tuesday morning")
    assert len(a.paragraphs) == 4
    removed = " ".join(r.text for r in a.removed)
    for junk in ["Sport", "Finally! I have been waiting", "Subscribe to our newsletter", "All rights reserved"]:
        assert junk not in a.text
        assert junk in removed
    assert "tracking" not in a.text and "tracking" not in removed  # scripts are not text


def test_json_list_and_single_object(tmp_path):
    articles, warnings = read_inputs([FIXTURES / "articles.json"])
    assert warnings == []
    assert [a.id for a in articles] == ["wire-1", "doc2"]
    a = articles[0]
    assert (a.title, a.source, a.url, a.date) == (
        "Storm closes mountain pass",
        "Valley Wire",
        "https://valley.example/storm",
        "2024-01-15",
    )
    assert not a.text.startswith("Storm closes mountain pass")  # the repeated headline went to metadata
    assert any(r.reason == "headline (metadata)" for r in a.removed)
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"text": "A single article object. It has no id."}), encoding="utf-8")
    (b,), warnings = read_inputs([single])
    assert b.id == "one" and warnings == []


def test_jsonl_with_broken_line():
    articles, warnings = read_inputs([FIXTURES / "articles.jsonl"])
    assert [a.id for a in articles] == ["j1", "j2", "j4"]
    assert articles[2].date == "2024-03-07"
    assert len(warnings) == 1
    assert "articles.jsonl:3" in warnings[0] and "invalid JSON" in warnings[0]
    assert "\n" not in warnings[0]


def test_benchmark_rows():
    articles, warnings = read_inputs([FIXTURES / "benchmark.jsonl"])
    assert warnings == []
    assert [a.id for a in articles] == ["cluster-1-d1", "cluster-1-d2", "cluster-2-d1"]
    assert "Advertisement" not in articles[1].text
    rows = read_benchmark(FIXTURES / "benchmark.jsonl")
    assert [r["id"] for r in rows] == ["cluster-1", "cluster-2"]
    docs = articles_from_documents(rows[0]["documents"])
    assert [a.id for a in docs] == ["d1", "d2"]
    assert docs[1].paragraphs == [
        "Rescue teams used boats to reach residents trapped by floodwater on Sunday, officials said.",
        "The river is expected to peak on Tuesday.",
    ]
    assert articles_from_documents(["", "Only text. Here."])[0].text == ""  # kept, so ids stay aligned


@pytest.mark.parametrize(
    "content, expected_ids, first_text",
    [
        ("Plain text from a pipe. It has two sentences.\n", ["doc1"], "Plain text from a pipe."),
        (json.dumps([{"id": "s1", "text": "From JSON. One."}, {"text": "Second. Two."}]), ["s1", "doc2"], "From JSON."),
        ('{"id": "l1", "text": "Line one. Yes."}\n{"id": "l2", "text": "Line two. Yes."}\n', ["l1", "l2"], "Line one."),
        (
            "<html><head><title>Piped page</title></head><body><article><p>"
            + "The piped page has a long enough paragraph for the extractor to keep it as main text. " * 3
            + "</p></article></body></html>",
            ["doc1"],
            "The piped page has a long enough paragraph",
        ),
    ],
)
def test_stdin_formats(monkeypatch, content, expected_ids, first_text):
    monkeypatch.setattr(sys, "stdin", io.StringIO(content))
    articles, warnings = read_inputs(["-"])
    assert warnings == []
    assert [a.id for a in articles] == expected_ids
    assert articles[0].text.startswith(first_text)


def test_empty_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("  \n"))
    assert read_inputs("-") == ([], ["<stdin>: empty input; skipped"])


def test_bad_files_warn_and_the_rest_is_read(tmp_path):
    (tmp_path / "a_good.txt").write_text("A good article. It is read.", encoding="utf-8")
    (tmp_path / "b_empty.txt").write_bytes(b"")
    (tmp_path / "c_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "d_undecodable.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 40)
    (tmp_path / "e_latin1.txt").write_bytes("Caf\xe9 owners said \x93business is slow\x94 this winter.".encode("latin-1"))
    (tmp_path / "f_doc.pdf").write_bytes(b"%PDF-1.4 not really")
    (tmp_path / "g_bom.txt").write_bytes("\ufeffA file with a byte order mark. It is fine.".encode("utf-8"))
    (tmp_path / "h_garbage.txt").write_bytes(bytes(range(0xA0, 0x100)) * 4)  # valid cp1252, not text
    articles, warnings = read_inputs([tmp_path, tmp_path / "missing.txt"])
    assert [a.id for a in articles] == ["a_good", "e_latin1", "g_bom"]
    assert articles[1].text == "Café owners said “business is slow” this winter."
    assert articles[2].raw.startswith("A file with")
    assert len(warnings) == 7
    for name, problem in [
        ("e_latin1.txt", "not UTF-8: read as cp1252"),  # read, with a warning: the encoding is a guess
        ("b_empty.txt", "empty"),
        ("c_binary.txt", "binary"),
        ("d_undecodable.txt", "undecodable"),
        ("h_garbage.txt", "undecodable"),
        ("f_doc.pdf", "unsupported"),
        ("missing.txt", "no such file"),
    ]:
        assert any(name in w and problem in w for w in warnings), (name, warnings)
    assert all("\n" not in w for w in warnings)


def test_objects_raw_text_and_unique_ids():
    art = Article(id="x", raw="An Article object. It is cleaned too.\n\nAdvertisement")
    articles, warnings = read_inputs(
        [
            art,
            {"id": "x", "text": "A dict with the same id. It gets a suffix."},
            "A raw article string with spaces. It is text, not a path.",
            {"title": "No text here"},
            42,
        ]
    )
    assert [a.id for a in articles] == ["x", "x-2", "doc3"]
    assert articles[0] is art and art.text == "An Article object. It is cleaned too."
    assert len(warnings) == 3
    assert "no text" in warnings[0] and "int" in warnings[1]
    assert warnings[2] == "article 2: duplicate article id 'x'; renamed 'x-2'"  # named by its position, no <dict>


def test_single_path_string_is_not_iterated_character_by_character():
    articles, warnings = read_inputs(str(SEEDS / "002_a48287628939e41c.txt"))
    assert [a.id for a in articles] == ["002_a48287628939e41c"] and warnings == []


# -- issue 14: defects found by hand and by the property suite (tests/test_properties.py) ------------

def _cli(monkeypatch, *args: str) -> int:
    """Run the `newsbrief` command in-process; its exit code."""
    import newsbrief.cli

    monkeypatch.setattr(sys, "argv", ["newsbrief", *args])
    with pytest.raises(SystemExit) as exit_:
        newsbrief.cli.main()
    return exit_.value.code


BODY = "The council approved the new budget on Tuesday after a long debate. The mayor said it would fund schools."


def test_lone_surrogate_in_one_json_article_costs_only_that_character(tmp_path, monkeypatch, capsys):
    """Issue 14.5: one lone surrogate (\\ud83d) in one article of a JSON file failed the whole run with
    UnicodeEncodeError."""
    path = tmp_path / "two.json"
    path.write_text('[{"id": "a", "title": "T \\udc00", "text": "Lone \\ud83d here. ' + BODY + '"}, '
                    '{"id": "b", "text": "' + BODY + '"}]', encoding="utf-8")
    articles, warnings = read_inputs([path])
    assert [a.id for a in articles] == ["a", "b"]
    a = articles[0]
    assert a.text == "Lone here. " + BODY and a.title == "T \ufffd"
    assert [(r.text, r.reason) for r in a.removed] == [("\ufffd", "invalid characters (U+FFFD replacement character)")]
    assert warnings == [f"{path}[1]: 2 lone surrogates (half of a UTF-16 pair, not a character) replaced with U+FFFD"]
    json.dumps([a.raw, a.text, a.title]).encode("utf-8")  # everything can be written out
    out = tmp_path / "brief.json"
    assert _cli(monkeypatch, "brief", str(path), "--no-analysis", "-f", "json", "-o", str(out)) == 0
    assert "Lone here." in json.loads(out.read_text(encoding="utf-8"))["articles"][0]["text"]
    assert "Traceback" not in capsys.readouterr().err


def _bytes_stdin(data: bytes):
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape")


def test_stdin_goes_through_the_file_decoder(monkeypatch, tmp_path, capsys):
    """Issue 14.6: stdin skipped the file decoder: binary input was briefed (garbage title); Latin-1 input
    gave invalid UTF-8 output and crashed with -o."""
    monkeypatch.setattr(sys, "stdin", _bytes_stdin(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))))
    assert read_inputs(["-"]) == ([], ["<stdin>: binary file (NUL bytes); skipped"])
    latin1 = ("Caf\xe9 owners said \x93business is slow\x94 this winter. " + BODY).encode("latin-1")
    monkeypatch.setattr(sys, "stdin", _bytes_stdin(latin1))
    (a,), warnings = read_inputs(["-"])
    assert a.text.startswith("Café owners said “business is slow” this winter.")
    assert len(warnings) == 1 and warnings[0].startswith("<stdin>: not UTF-8: read as cp1252")
    monkeypatch.setattr(sys, "stdin", _bytes_stdin("\ufeff".encode("utf-16-le") + BODY.encode("utf-16-le")))
    (a,), warnings = read_inputs(["-"])
    assert a.text == BODY and warnings == []
    out = tmp_path / "brief.md"
    monkeypatch.setattr(sys, "stdin", _bytes_stdin(latin1))
    assert _cli(monkeypatch, "brief", "-", "--no-analysis", "-o", str(out)) == 0
    assert "Café owners" in out.read_text(encoding="utf-8")
    assert "Traceback" not in capsys.readouterr().err


def test_repeated_ids_never_take_an_id_another_article_asked_for():
    """Issue 14.7: ids were renamed silently: x, x, x-2 became x, x-2, x-2-2, so the user's x-2 named
    another article."""
    docs = [{"id": i, "text": f"Article {n}. " + BODY} for n, i in enumerate(["x", "x", "x-2", "doc4", ""], 1)]
    articles, warnings = read_inputs(docs)
    assert [a.id for a in articles] == ["x", "x-3", "x-2", "doc4", "doc5"]
    assert [a.raw.split(".")[0] for a in articles] == ["Article 1", "Article 2", "Article 3", "Article 4", "Article 5"]
    assert warnings == ["article 2: duplicate article id 'x'; renamed 'x-3'"]
    articles, _ = read_inputs([{"id": "doc2", "text": BODY}, {"text": BODY}])
    assert [a.id for a in articles] == ["doc2", "doc2-2"]  # a generated id never takes a given one either


def test_one_nested_jsonl_line_costs_only_itself(tmp_path, monkeypatch):
    """Issue 14.12: one nested JSONL line dropped every later line, while the warning said the whole file
    was skipped (still so on stdin when the nested line was the first)."""
    lines = [json.dumps({"id": f"l{i}", "text": f"Article {i}. " + BODY}) for i in range(1, 4)]
    deep = "[" * 100_000 + "]" * 100_000
    for content in ("\n".join([deep, *lines]), "\n".join([lines[0], deep, *lines[1:]]),
                    "\n".join([*lines, "{" * 50_000])):
        path = tmp_path / "nested.jsonl"
        path.write_text(content + "\n", encoding="utf-8")
        monkeypatch.setattr(sys, "stdin", _bytes_stdin(content.encode()))
        for name, (articles, warnings) in ((str(path), read_inputs([path])), ("<stdin>", read_inputs(["-"]))):
            assert [a.id for a in articles] == ["l1", "l2", "l3"], (name, warnings)
            assert len(warnings) == 1 and warnings[0].startswith(f"{name}:") and "invalid JSON line" in warnings[0]
    path = tmp_path / "deep.json"
    path.write_text(deep, encoding="utf-8")
    assert read_inputs([path]) == ([], [f"{path}: invalid JSON (nested too deeply); skipped"])


@pytest.mark.parametrize("name, data, message", [
    ("number.json", b"42", ": JSON is neither an object nor a list (a number); skipped"),
    ("number16.json", "42".encode("utf-16"), ": JSON is neither an object nor a list (a number); skipped"),
    ("lists.json", b"[[], [[]]]", "[1]: not an article object (a list); skipped"),
    ("string.jsonl", b'"just a string"\n', ":1: not an article object (a string); skipped"),
])
def test_valid_json_that_is_not_an_article_is_named_never_binary(tmp_path, name, data, message):
    """Issue 14.15: the valid JSON 42 was called "binary"."""
    path = tmp_path / name
    path.write_bytes(data)
    articles, warnings = read_inputs([path])
    assert articles == [] and warnings[0] == f"{path}{message}", warnings


def test_utf16_with_a_byte_order_mark_is_read(tmp_path):
    """Issue 14.15: UTF-16 with a BOM was called "binary" (already fixed by the toolkit's decoder)."""
    (tmp_path / "a.txt").write_bytes(BODY.encode("utf-16"))
    (tmp_path / "b.json").write_bytes(json.dumps([{"text": BODY}]).encode("utf-16"))
    (tmp_path / "c.jsonl").write_bytes((json.dumps({"text": BODY}) + "\n").encode("utf-16"))
    articles, warnings = read_inputs([tmp_path])
    assert [a.text for a in articles] == [BODY] * 3 and warnings == []


def test_fifo_and_devices_are_not_called_missing(tmp_path):
    """Issue 14.15: a FIFO or /dev/zero was "no such file"."""
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert read_inputs([fifo]) == ([], [f"{fifo}: not a regular file (named pipe); skipped"])
    assert read_inputs(["/dev/zero"]) == ([], ["/dev/zero: not a regular file (character device); skipped"])
    assert read_inputs([tmp_path / "gone.txt"])[1] == [f"{tmp_path / 'gone.txt'}: no such file or directory"]


def test_control_characters_in_a_real_article_are_removed_and_listed(tmp_path):
    """A text with terminal escape sequences, BEL and NUL in a normal article was refused as "binary file
    (mostly non-text characters)"; now the characters are removed and listed, the article is read."""
    raw = ("Budget approved\n\nThe council approved the \x1b[1mnew budget\x1b[0m on Tuesday.\x07 "
           "The mayor said it would fund schools.\x00\n")
    (tmp_path / "esc.txt").write_text(raw, encoding="utf-8")
    (a,), warnings = read_inputs([tmp_path / "esc.txt"])
    assert warnings == [] and a.title == "Budget approved"
    assert a.text == "The council approved the new budget on Tuesday. The mayor said it would fund schools."
    controls = [r for r in a.removed if r.reason.startswith("control characters")]
    assert [(r.text, r.line) for r in controls] == [("\x1b[1m\x1b[0m\x07\x00", 3)]
    assert controls[0].reason == ("control characters (U+001B ESC, U+0007 BEL, U+0000 NUL; "
                                  "2 terminal escape sequences)")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\x03" * 200 + b"some text")  # binary is still refused
    assert read_inputs([tmp_path / "bin.txt"]) == ([], [f"{tmp_path / 'bin.txt'}: binary file (NUL bytes); skipped"])


def test_fields_of_another_type_are_ignored_with_a_warning_never_coerced():
    """Issue 14.18: a JSON url of {"x": 1} became "{'x': 1}"."""
    (a,), warnings = read_inputs([{"id": 7, "text": BODY, "url": {"x": 1}, "title": ["a"], "source": 5,
                                   "path": True}])
    assert (a.id, a.url, a.title, a.source, a.path) == ("7", "", "", "", "")
    assert warnings == [
        "article 1: field 'title' is a list, not a string; ignored",
        "article 1: field 'source' is a number, not a string; ignored",
        "article 1: field 'url' is an object, not a string; ignored",
        "article 1: field 'path' is a boolean, not a string; ignored",
    ]
    assert read_inputs([{"text": 5}])[1] == ["article 1: field 'text' is a number, not text",
                                             "article 1: object has no text; skipped"]
