"""Input: files, directories, stdin, JSON/JSONL, HTML, dicts, Article objects or raw text -> cleaned Articles.

This is the only module that reads input files. Problems never raise: each becomes a one-line warning
naming the input, and the other inputs are still read.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsbrief.clean import clean_article
from newsbrief.model import Article
from newsbrief.outlets import detect_outlet
from newsbrief.text.dates import parse_date
from newsbrief.text.encoding import decode_bytes, without_lone_surrogates

TEXT_EXTS = {".txt", ".text", ".md"}
HTML_EXTS = {".html", ".htm", ".xhtml", ".shtml"}
JSON_EXTS = {".json"}
JSONL_EXTS = {".jsonl", ".ndjson"}
SUPPORTED = TEXT_EXTS | HTML_EXTS | JSON_EXTS | JSONL_EXTS
_TEXT_KEYS = ("text", "body", "content", "article", "document", "html")


class TooManyArticles(Exception):
    """More articles than the caller's `limit`: reading stopped."""


_FIELDS = ("id", "raw", "title", "source", "url", "path")


class _Reader:
    """Collects articles and warnings for one `read_inputs` call; keeps ids unique."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self.articles: list[Article] = []
        self.warnings: list[str] = []
        self._origins: list[str] = []
        self.position = 0  # 1-based position of the input being read (names dicts and texts in warnings)

    # ---- output

    def add(self, article: Article, origin: str) -> None:
        if self.limit is not None and len(self.articles) >= self.limit:
            raise TooManyArticles(f"more than {self.limit:,} articles")
        surrogates = 0
        for name in _FIELDS:  # text that cannot be written out as UTF-8: a lone surrogate becomes U+FFFD
            value = getattr(article, name)
            if isinstance(value, str):
                fixed, n = without_lone_surrogates(value)
                if n:
                    setattr(article, name, fixed)
                    surrogates += n
        if surrogates:
            self.warn(f"{origin}: {surrogates} lone surrogate{'s' if surrogates > 1 else ''} (half of a UTF-16 "
                      "pair, not a character) replaced with U+FFFD")
        clean_article(article)
        if not article.text:
            reasons = sorted({r.reason.replace(" (", ", ").replace(")", "") for r in article.removed})
            what = f" (all of it removed as: {'; '.join(reasons[:3])})" if reasons else ""
            self.warnings.append(f"{origin}: no article text left after cleaning{what}; skipped")
            return
        detect_outlet(article)
        self.articles.append(article)
        self._origins.append(origin)

    def assign_ids(self) -> None:
        """Unique ids, once every article is read: the first article to ask for an id gets it; a repeated
        id gets "-2", "-3"... skipping every id another article asked for (so a given "x-2" keeps naming
        its own article), with a warning; an article without an id gets "docN" (N: its position)."""
        given = {a.id for a in self.articles if a.id}
        used: set[str] = set()
        for k, (article, origin) in enumerate(zip(self.articles, self._origins), 1):
            wanted = article.id
            if wanted and wanted not in used:
                used.add(wanted)
                continue
            base = wanted or f"doc{k}"
            aid, n = base, 1
            while aid in used or (aid in given and aid != wanted):
                n += 1
                aid = f"{base}-{n}"
            used.add(aid)
            article.id = aid
            if wanted:
                self.warn(f"{origin}: duplicate article id {wanted!r}; renamed {aid!r}")

    def warn(self, msg: str) -> None:
        self.warnings.append(" ".join(msg.split()))  # one line, whatever an exception's message holds

    # ---- inputs

    def item(self, item: Any) -> None:
        if isinstance(item, Article):
            if not item.raw and item.text:
                item.raw = item.text
            self.add(item, item.path or item.id or "article")
        elif isinstance(item, dict):
            self.obj(item, self._numbered(item), default_id="")
        elif isinstance(item, Path):
            self.path(item)
        elif isinstance(item, str):
            if item == "-":
                self.stdin()
            elif _URL_INPUT.match(item):
                self.warn(f"{item}: URLs are not fetched; save the page and pass the file; skipped")
            elif "\n" not in item and len(item) <= 1024 and (_exists(item) or _looks_like_path(item)):
                self.path(Path(item))  # a missing path-like name gets "no such file", never briefed as text
            else:
                self.add(Article(id="", raw=item), f"article {self.position or len(self.articles) + 1}")
        elif isinstance(item, bytes):
            self.decoded(item, "<bytes>")
        else:
            self.warn(f"unsupported input of type {type(item).__name__}; skipped")

    def _numbered(self, obj: dict) -> str:
        """An article given as an object, named for the reader: 'article 2 ("Its title")'."""
        title = obj.get("title") or obj.get("headline")
        name = f"article {self.position or len(self.articles) + 1}"
        if isinstance(title, str) and title.strip():
            t = " ".join(title.split())
            name += f" (\u201c{t if len(t) <= 60 else t[:57] + '...'}\u201d)"
        return name

    def path(self, p: Path) -> None:
        try:
            if p.is_dir():
                found = sorted(f for f in p.rglob("*") if f.is_file())
                files = [f for f in found if not _hidden(f, p)]
                hidden = [f for f in found if _hidden(f, p) and f.suffix.lower() in SUPPORTED]
                if hidden:
                    names = ", ".join(str(f.relative_to(p)) for f in hidden[:3]) + (", …" if len(hidden) > 3 else "")
                    self.warn(f"{p}: {len(hidden)} hidden file{'s' if len(hidden) > 1 else ''} not read ({names}); "
                              "pass a hidden file by name to read it")
                if not files and not hidden:
                    self.warn(f"{p}: empty directory")
                for f in files:
                    self.file(f)
            elif p.is_file():
                self.file(p)
            elif p.exists():
                self.warn(f"{p}: not a regular file ({_kind(p)}); skipped")
            else:
                self.warn(f"{p}: no such file or directory")
        except OSError as e:
            self.warn(f"{p}: cannot read ({e.strerror or e})")

    def file(self, p: Path) -> None:
        ext = p.suffix.lower()
        if ext not in SUPPORTED:
            self.warn(f"{p}: unsupported file type '{ext or '(none)'}'; skipped")
            return
        try:
            data = p.read_bytes()
        except OSError as e:
            self.warn(f"{p}: cannot read ({e.strerror or e}); skipped")
            return
        if ext in JSONL_EXTS and data.strip() and b"\x00" not in data[:8192]:
            self.jsonl_bytes(data, str(p))  # decoded line by line: one bad line costs only itself
            return
        decoded = decode_bytes(data, structured=ext in JSON_EXTS | JSONL_EXTS)
        if decoded.text is None:
            self.warn(f"{p}: {decoded.problem}; skipped")
            return
        if decoded.warning:
            self.warn(f"{p}: {decoded.warning}")
        text, name = decoded.text, str(p)
        if ext in JSON_EXTS | JSONL_EXTS:
            text = text.removeprefix("\ufeff")  # a second byte order mark (the first one chose the encoding)
        if ext in JSON_EXTS:
            self.json_text(text, name, p.stem)
        elif ext in JSONL_EXTS:
            self.jsonl_text(text, name, p.stem)
        else:  # text and HTML: the cleaner extracts HTML itself
            self.add(Article(id=p.stem, raw=text, path=name), name)

    def stdin(self) -> None:
        """Standard input as bytes, through the file decoder (BOMs, UTF-8, detected encodings, binary)."""
        buffer = getattr(sys.stdin, "buffer", None)
        try:
            data: bytes | str = buffer.read() if buffer is not None else sys.stdin.read()
        except (OSError, UnicodeDecodeError, ValueError) as e:
            self.warn(f"<stdin>: cannot read ({e}); skipped")
            return
        if not data.strip():
            self.warn("<stdin>: empty input; skipped")
            return
        if isinstance(data, str):  # a text stream without bytes (tests, embedding applications)
            self.content(data, "<stdin>")
        else:
            self.decoded(data, "<stdin>")

    def decoded(self, data: bytes, name: str) -> None:
        """Bytes of unknown format: decoded as a file is, then read by `content`."""
        decoded = decode_bytes(data, structured=data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["))
        if decoded.text is None:
            self.warn(f"{name}: {decoded.problem}; skipped")
            return
        if decoded.warning:
            self.warn(f"{name}: {decoded.warning}")
        self.content(decoded.text.removeprefix("\ufeff"), name)

    def content(self, text: str, name: str) -> None:
        """Text of unknown format: JSON, JSONL, HTML or plain text, detected from the content."""
        head = text.lstrip()[:1]
        if head and head in "{[":
            try:
                data = json.loads(text)
            except (ValueError, RecursionError) as e:  # not JSON, a number too long, or nested too deeply
                lines = [ln for ln in text.splitlines() if ln.strip()]
                if len(lines) > 1 and (lines[0].lstrip().startswith("{") or isinstance(e, RecursionError)):
                    self.jsonl_text(text, name, "")  # JSONL: line by line, one bad line costs only itself
                    return
                if isinstance(e, RecursionError):
                    self.warn(f"{name}: invalid JSON (nested too deeply); skipped")
                    return
            else:
                self.json_data(data, name, "")
                return
        self.add(Article(id="", raw=text, path="" if name.startswith("<") else name), name)

    # ---- JSON

    def json_text(self, text: str, name: str, stem: str) -> None:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            self.warn(f"{name}: invalid JSON (line {e.lineno}: {e.msg}); skipped")
            return
        except RecursionError:
            self.warn(f"{name}: invalid JSON (nested too deeply); skipped")
            return
        except ValueError as e:  # a number too long to convert
            self.warn(f"{name}: invalid JSON ({e}); skipped")
            return
        self.json_data(data, name, stem)

    def json_data(self, data: Any, name: str, stem: str) -> None:
        if isinstance(data, dict):
            self.obj(data, name, default_id=stem)
        elif isinstance(data, list):
            if not data:
                self.warn(f"{name}: empty JSON list")
            for i, obj in enumerate(data, 1):
                if isinstance(obj, dict):
                    self.obj(obj, f"{name}[{i}]", default_id="")
                elif isinstance(obj, str) and obj.strip():
                    self.add(Article(id="", raw=obj, path=name), f"{name}[{i}]")
                else:
                    self.warn(f"{name}[{i}]: not an article object ({_json_type(obj)}); skipped")
        else:
            self.warn(f"{name}: JSON is neither an object nor a list ({_json_type(data)}); skipped")

    def jsonl_text(self, text: str, name: str, stem: str) -> None:
        seen = 0
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                seen += self.jsonl_line(line, f"{name}:{n}")
        if not seen:
            self.warn(f"{name}: no JSON objects found")

    def jsonl_bytes(self, data: bytes, name: str) -> None:
        """A JSONL file: UTF-8 line by line, so that one undecodable line costs only itself; a file that is
        mostly not UTF-8 is decoded whole in its detected encoding (newsbrief.text.encoding)."""
        lines = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
        decoded: list[str | None] = []
        for raw in lines:
            try:
                decoded.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                decoded.append(None)
        bad = sum(text is None for text in decoded)
        if bad and bad >= 0.5 * sum(1 for raw in lines if raw.strip()):
            whole = decode_bytes(data)
            if whole.text is None:
                self.warn(f"{name}: {whole.problem}; skipped")
                return
            if whole.warning:
                self.warn(f"{name}: {whole.warning}")
            self.jsonl_text(whole.text, name, "")
            return
        seen = 0
        for n, (raw, text) in enumerate(zip(lines, decoded), 1):
            if not raw.strip():
                continue
            if text is None:
                self.warn(f"{name}:{n}: undecodable line (not UTF-8); skipped")
                continue
            seen += self.jsonl_line(text, f"{name}:{n}")
        if not seen:
            self.warn(f"{name}: no JSON objects found")

    def jsonl_line(self, line: str, origin: str) -> int:
        """One JSONL line; 1 if it held a JSON value. A bad line is skipped with a warning naming it."""
        try:
            obj = json.loads(line)
        except RecursionError:
            self.warn(f"{origin}: invalid JSON line (nested too deeply); skipped")
            return 0
        except ValueError as e:  # JSONDecodeError, or a number too long to convert
            self.warn(f"{origin}: invalid JSON line ({getattr(e, 'msg', e)}); skipped")
            return 0
        if not isinstance(obj, dict):
            self.warn(f"{origin}: not an article object ({_json_type(obj)}); skipped")
            return 1
        try:
            self.obj(obj, origin, default_id="")
        except TooManyArticles:
            raise  # the size limit stops the reading: never a per-line skip
        except Exception as e:  # noqa: BLE001 - one bad line must not stop the others
            self.warn(f"{origin}: could not be read ({type(e).__name__}: {e}); skipped")
        return 1

    def obj(self, obj: dict, origin: str, default_id: str) -> None:
        """One article object, or a benchmark row {"id", "documents": [...]} (one article per document)."""
        docs = obj.get("documents")
        if isinstance(docs, list):
            doc_ids = obj.get("doc_ids")
            ids: list = doc_ids if isinstance(doc_ids, list) else []
            for i, doc in enumerate(docs):
                if i < len(ids) and ids[i]:
                    aid = str(ids[i])
                else:
                    aid = f"{obj['id']}-d{i + 1}" if obj.get("id") not in (None, "") else f"d{i + 1}"
                if isinstance(doc, dict):  # documents given as article objects
                    notes: list[str] = []
                    article = article_from_dict(doc, default_id=aid, notes=notes)
                    for note in notes:
                        self.warn(f"{origin} document {i + 1}: {note}")
                    if article is not None:
                        article.path = article.path or _path_of(origin)
                        self.add(article, f"{origin} document {i + 1}")
                        continue
                if not isinstance(doc, str) or not doc.strip():
                    what = "is empty" if isinstance(doc, str) or doc is None else f"is {_json_type(doc)}, not text"
                    self.warn(f"{origin}: document {i + 1} {what}; skipped")
                    continue
                self.add(Article(id=aid, raw=doc, path=_path_of(origin)), f"{origin} document {i + 1}")
            return
        notes = []
        article = article_from_dict(obj, default_id=default_id, notes=notes)
        for note in notes:
            self.warn(f"{origin}: {note}")
        if article is None:
            self.warn(f"{origin}: object has no text; skipped")
            return
        if not article.path:
            article.path = _path_of(origin)
        self.add(article, origin)


def _path_of(origin: str) -> str:
    return "" if origin.startswith(("<", "article ")) else origin.split("[")[0].rsplit(":", 1)[0]


_URL_INPUT = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.I)


def _looks_like_path(s: str) -> bool:
    """A name meant as a file: a directory part or a supported extension, and no spaces between words."""
    return " " not in s.strip() and ("/" in s or os.sep in s or Path(s).suffix.lower() in SUPPORTED)


def _exists(s: str) -> bool:
    try:
        return Path(s).exists()
    except (OSError, ValueError):
        return False


def _hidden(f: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in f.relative_to(root).parts)


def _kind(p: Path) -> str:
    """What a path that is neither a file nor a directory is: "named pipe", "character device"..."""
    try:
        mode = p.stat().st_mode
    except OSError:
        return "unreadable"
    for test, name in ((stat.S_ISFIFO, "named pipe"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket")):
        if test(mode):
            return name
    return "special file"


def _json_type(value: Any) -> str:
    """A JSON value's kind, as the user wrote it: "a number", "an object", "a list"..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _field(obj: dict, keys: tuple[str, ...], notes: list[str] | None, numbers: bool = False) -> str:
    """The first of `keys` holding a non-empty string (or, with `numbers`, a number); a value of another
    kind is ignored with a note, never turned into its Python repr."""
    for key in keys:
        value = obj.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, str):
            return value
        if numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if notes is not None:
            notes.append(f"field {key!r} is {_json_type(value)}, not a string; ignored")
    return ""


def article_from_dict(obj: dict, default_id: str = "", notes: list[str] | None = None) -> Article | None:
    """An Article from an article object with `text` (or body/content/html) and optional metadata.

    String fields take strings (an id or a title may be a number); a field of another kind is left empty
    and, if `notes` is given, a note saying so is appended to it."""
    text = next((obj[k] for k in _TEXT_KEYS if isinstance(obj.get(k), str) and obj[k].strip()), None)
    if text is None:
        if notes is not None:
            odd = [k for k in _TEXT_KEYS if obj.get(k) is not None and not isinstance(obj[k], str)]
            notes += [f"field {k!r} is {_json_type(obj[k])}, not text" for k in odd[:1]]
        return None
    return Article(
        id=_field(obj, ("id",), notes, numbers=True) or default_id,
        raw=text,
        title=_field(obj, ("title", "headline"), notes, numbers=True),
        source=_field(obj, ("source", "sitename", "site"), notes),
        url=_field(obj, ("url",), notes),
        date=parse_date(obj.get("date") or obj.get("published") or obj.get("date_published")),
        path=_field(obj, ("path",), notes),
    )


def read_inputs(inputs: Any, limit: int | None = None) -> tuple[list[Article], list[str]]:
    """Read and clean articles from paths, directories, "-" (stdin), Articles, dicts or raw text.

    Returns (articles, warnings). Articles with nothing left after cleaning are skipped with a warning.
    With `limit`, reading stops with TooManyArticles as soon as one more article would be kept.
    Ids are made unique once everything is read (a repeated id gets "-2", "-3"..., never an id another
    article asked for) with a warning for each renamed article.
    """
    if isinstance(inputs, (str, Path, Article, dict, bytes)) or not isinstance(inputs, Iterable):
        inputs = [inputs]
    reader = _Reader(limit)
    for position, item in enumerate(inputs, 1):
        reader.position = position
        try:
            reader.item(item)
        except TooManyArticles:
            raise
        except Exception as e:  # noqa: BLE001 - one bad input must not stop the others
            reader.warn(f"{_describe(item)}: could not be read ({type(e).__name__}: {e}); skipped")
    reader.assign_ids()
    return reader.articles, reader.warnings


def _describe(item: Any) -> str:
    if isinstance(item, (str, Path)):
        s = str(item)
        return s if len(s) < 80 and "\n" not in s else s[:60].replace("\n", " ") + "…"
    if isinstance(item, Article):
        return item.id
    return type(item).__name__


def articles_from_documents(documents: list[str]) -> list[Article]:
    """Cleaned Articles "d1".."dN" for the documents of one benchmark row (empty results kept)."""
    return [clean_article(Article(id=f"d{i}", raw=doc or "")) for i, doc in enumerate(documents, 1)]


def read_benchmark(path: str | Path) -> list[dict]:
    """The cluster rows ({"id", "documents", "summaries", ...}) of a benchmark JSONL file."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(row, dict) and isinstance(row.get("documents"), list):
                rows.append(row)
    return rows


__all__ = ["read_inputs", "TooManyArticles", "articles_from_documents", "read_benchmark", "article_from_dict"]
