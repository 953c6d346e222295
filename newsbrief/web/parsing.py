"""Request bodies -> articles: JSON bodies and multipart uploads, checked against the limits.

POST /api/briefs takes either
    application/json     {"articles": [{"text", "title"?, "source"?, "url"?, "date"?, "id"?}, ...],
                          "words": 150, "format": "json"|"markdown"|"html", "include_text": true,
                          "save": true, "story": "largest"|"all"|N,
                          "query": "a question"?, "since": ["<saved brief id>", ...]?,
                          "since_articles": [<earlier articles, as `articles`>]?}
                         (a bare list of articles is accepted too)
    multipart/form-data  files=<article files>... (repeat), and optionally
                         articles=<the JSON list above, as text>, words=150, format=json, save, story,
                         query, since=<saved brief id> (repeat), since_articles=<JSON list>,
                         since_files=<earlier article files>... (repeat)
or both at once (JSON articles first, then the files, in order).

`query` makes a question-focused brief (an empty one is a 422); `since`, `since_articles` and
`since_files` make an update brief of what the articles add to that earlier coverage (the saved
briefs' articles, and their own earlier coverage, then the earlier articles given here). The
earlier articles are counted and measured against the same limits as the new ones, separately.

The file types accepted are the reader's (`newsbrief.readers.SUPPORTED`). Like the CLI, an empty
article, an empty or unsupported file or a broken JSON file is skipped with a warning naming it
(the brief's `warnings`) when other articles are usable; only when none is left is it a 400.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from starlette.datastructures import UploadFile

from newsbrief.readers import JSON_EXTS, JSONL_EXTS, SUPPORTED, article_from_dict
from newsbrief.text.encoding import decode_bytes, without_lone_surrogates
from newsbrief.web.errors import ApiError, BodyTooLarge, validation_details, validation_message
from newsbrief.web.settings import DEFAULT_WORDS, MAX_WORDS, MIN_WORDS, Settings

UPLOAD_TYPES = SUPPORTED  # the reader's format table: one list of accepted file types
MAX_JSON_DEPTH = 64  # levels of [ and { in a JSON body, form field or uploaded file (articles need 3)
MAX_SINCE_BRIEFS = 20  # saved briefs an update brief may be made since
MAX_QUERY_CHARS = 2000


class ArticleIn(BaseModel):
    """One article given as JSON. Only `text` is required."""

    model_config = ConfigDict(extra="ignore")

    text: str = Field(description="The article's text (plain text or HTML).")
    title: str | None = Field(None, max_length=2000)
    source: str | None = Field(None, max_length=2000)
    url: str | None = Field(None, max_length=8000)
    date: str | None = Field(None, max_length=100, description="Publication date, ideally YYYY-MM-DD.")
    id: str | None = Field(None, max_length=200)


EXAMPLE_REQUEST = {
    "articles": [
        {
            "title": "US and Iran hold first talks in decades",
            "source": "Example Wire",
            "date": "2007-05-28",
            "text": "BAGHDAD (AFP) - The United States and Iran held their first formal talks in 27 years on "
                    "Monday, meeting for four hours in Baghdad to discuss security in Iraq.\n\n"
                    "US ambassador Ryan Crocker said the talks were businesslike. Iran's ambassador Hassan "
                    "Kazemi Qomi said the two sides would meet again in less than a month.",
        },
        {
            "title": "Iran offers to train Iraqi forces",
            "url": "https://example.org/iran-talks",
            "text": "Iran's ambassador to Iraq offered weapons and training to the Iraqi army after meeting his "
                    "US counterpart in Baghdad on Monday, the first such meeting in nearly three decades.\n\n"
                    "One of his assistants said no date had been set for a follow-up meeting.",
        },
    ],
    "words": 80,
}


class BriefRequest(BaseModel):
    """The articles to brief and how. Only `articles[].text` is required."""

    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [EXAMPLE_REQUEST]})  # type: ignore[list-item]

    articles: list[ArticleIn] = Field(default_factory=list)
    words: int = Field(DEFAULT_WORDS, ge=MIN_WORDS, le=MAX_WORDS, description="Word budget of the summary.")
    format: Literal["json", "markdown", "html"] = "json"
    include_text: bool = Field(True, description="Include each article's cleaned text in the JSON.")
    save: bool = Field(True, description="Save the brief (201, with `id`); false: just return it (200).")
    story: Union[Annotated[int, Field(ge=1)], Literal["largest", "all"]] = Field(  # noqa: UP007
        "largest", description="When the articles cover several unrelated stories: brief the largest, "
                               "story N (1 = the largest) or all together (`stories` lists them).")

    query: str | None = Field(None, max_length=MAX_QUERY_CHARS, description=(
        "A question or topic statement: the brief answers it (most relevant sentences first, the analysis "
        "restricted to what bears on it; `answered` false, and the general brief, when nothing answers it)."))
    since: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=MAX_SINCE_BRIEFS, description=(
            "Ids of saved briefs (a string or a list): an update brief of what the articles add to their "
            "articles (and to their own earlier coverage). An unknown id is a 404."))
    since_articles: list[ArticleIn] = Field(default_factory=list, description=(
        "Earlier articles (as `articles`): an update brief of what the articles add to them."))

    @field_validator("query")
    @classmethod
    def _query_not_empty(cls, v: str | None) -> str | None:
        if v is not None and not v.strip():
            raise ValueError("the question is empty: leave `query` out for a general brief")
        return v.strip() if v is not None else None

    @field_validator("since", mode="before")
    @classmethod
    def _since_list(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    def article_dicts(self) -> list[dict[str, Any]]:
        """The JSON articles as plain dicts, without the fields not given."""
        return [{k: v for k, v in a.model_dump().items() if v is not None} for a in self.articles]

    def since_dicts(self) -> list[dict[str, Any]]:
        """The earlier articles given as JSON, as plain dicts."""
        return [{k: v for k, v in a.model_dump().items() if v is not None} for a in self.since_articles]


OPENAPI_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/BriefRequest"},
                "examples": {"two-articles": {"summary": "Two short articles about one story",
                                              "value": EXAMPLE_REQUEST}},
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "Article files: " + ", ".join(sorted(UPLOAD_TYPES)),
                        },
                        "articles": {
                            "type": "string",
                            "description": "Optional JSON list of articles, as in the JSON body",
                        },
                        "words": {"type": "integer", "default": DEFAULT_WORDS},
                        "format": {"type": "string", "enum": ["json", "markdown", "html"]},
                        "include_text": {"type": "boolean", "default": True},
                        "save": {"type": "boolean", "default": True},
                        "story": {"type": "string", "default": "largest",
                                  "description": "largest, all, or a story number"},
                        "query": {"type": "string", "description": "A question: the brief answers it"},
                        "since": {"type": "array", "items": {"type": "string"},
                                  "description": "Saved brief ids (repeat): an update brief since them"},
                        "since_articles": {"type": "string",
                                           "description": "Optional JSON list of earlier articles"},
                        "since_files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "Earlier article files: an update brief since them",
                        },
                    },
                }
            },
        },
    }
}


@dataclass
class Upload:
    name: str  # sanitised base name
    data: bytes


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str, taken: set[str] | None = None) -> str:
    """A base name safe to create in a fresh directory: no path, no odd characters, unique."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _SAFE.sub("_", base).strip("._") or "article"
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = stem[:80] or "article"
    ext = ext[:10]
    candidate = f"{stem}.{ext}" if ext else stem
    n = 2
    while taken is not None and candidate.lower() in taken:
        candidate = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
        n += 1
    if taken is not None:
        taken.add(candidate.lower())
    return candidate


def _suffix(name: str) -> str:
    return Path(name).suffix.lower()


class _TooDeep(ValueError):
    pass


def _too_deep(data: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether `data` nests lists and objects more than `limit` levels deep (no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if depth > limit:
            return True
        stack.extend((v, depth + 1) for v in children if isinstance(v, (dict, list)))
    return False


def _loads(text: str | bytes) -> Any:
    """`json.loads`; nesting deeper than MAX_JSON_DEPTH (or than Python's recursion limit) is _TooDeep.
    A lone surrogate escape ("\\ud83d") becomes U+FFFD, as the reader makes it: such a string could
    not be stored or sent back."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise _TooDeep from None
    if isinstance(data, (dict, list)) and _too_deep(data):
        raise _TooDeep
    if _SURROGATE_ESCAPE.search(text if isinstance(text, str) else text.decode("utf-8", "replace")):
        data = _without_surrogates(data)
    return data


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return without_lone_surrogates(value)[0]
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def _too_deep_error(what: str, **extra: Any) -> ApiError:
    where = f" (line {extra['line']})" if "line" in extra else ""
    message = f"{what} is nested too deeply{where}: at most {MAX_JSON_DEPTH} levels of [ and {{ are accepted"
    return ApiError(400, message, **extra)


def _object_texts(obj: dict[str, Any]) -> list[str]:
    """The texts of the articles the reader makes of one JSON object: an article, or a benchmark row
    ``{"documents": [...]}`` (one article per non-empty document)."""
    docs = obj.get("documents")
    if isinstance(docs, list):
        return [d for d in docs if isinstance(d, str) and d.strip()]
    article = article_from_dict(obj)
    return [article.raw] if article is not None else []


def _json_texts(data: Any) -> list[str]:
    """The texts of the articles the reader makes of a parsed .json file (an object or a list)."""
    if isinstance(data, dict):
        return _object_texts(data)
    if isinstance(data, list):
        texts: list[str] = []
        for item in data:
            if isinstance(item, dict):
                texts += _object_texts(item)
            elif isinstance(item, str) and item.strip():
                texts.append(item)
        return texts
    return []


def _upload_texts(up: Upload, text: str) -> list[str]:
    """The texts of the articles an upload holds, as the reader will read them.

    A .json upload ``{"articles": [...]}`` (the JSON body's shape) is rewritten to its list, which the
    reader reads as articles.
    """
    ext = _suffix(up.name)
    if ext in JSONL_EXTS:
        texts: list[str] = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = _loads(line)
            except _TooDeep:
                raise _too_deep_error(f"file {up.name!r}", line=n) from None
            except json.JSONDecodeError as e:  # e.lineno is 1: the line alone was parsed
                raise ApiError(
                    400, f"file {up.name!r} is not valid JSON: {e.msg} (line {n}, column {e.colno})", line=n
                ) from None
            if isinstance(obj, dict):
                texts += _object_texts(obj)
        return texts
    if ext in JSON_EXTS:
        try:
            data = _loads(text)
        except _TooDeep:
            raise _too_deep_error(f"file {up.name!r}") from None
        except json.JSONDecodeError as e:
            raise ApiError(
                400, f"file {up.name!r} is not valid JSON: {e.msg} (line {e.lineno}, column {e.colno})", line=e.lineno
            ) from None
        if isinstance(data, dict) and isinstance(data.get("articles"), list):
            data = data["articles"]
            up.data = json.dumps(data).encode("utf-8")  # \u escapes: a lone surrogate stays writable
        return _json_texts(data)
    return [text]  # text or HTML: one article


async def parse_brief_request(
    request: Request, settings: Settings
) -> tuple[BriefRequest, list[Upload], list[Upload]]:
    """The request's fields, its uploads and its earlier-coverage uploads (`since_files`), checked against
    the limits."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    uploads: list[Upload] = []
    since_uploads: list[Upload] = []
    payload: Any
    if ctype in ("application/json", "") or ctype.endswith("+json"):
        raw = await request.body()
        if not raw.strip():
            raise ApiError(400, 'empty body: send {"articles": [{"text": "..."}, ...]} or upload files')
        try:
            payload = _loads(raw)
        except _TooDeep:
            raise _too_deep_error("request body") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise ApiError(400, f"request body is not valid JSON: {e}") from None
        if isinstance(payload, list):
            payload = {"articles": payload}
        if not isinstance(payload, dict):
            raise ApiError(400, 'request body must be a JSON object {"articles": [...]} or a list of articles')
    elif ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        payload, uploads, since_uploads = await _parse_form(request, settings)
    else:
        raise ApiError(415, f"unsupported content type {ctype!r}: send application/json or multipart/form-data")

    try:
        req = BriefRequest.model_validate(payload)
    except ValidationError as e:
        details = validation_details(e.errors())
        raise ApiError(422, validation_message(details), details=details) from None
    _check_limits(req, uploads, settings)
    if req.since_articles or since_uploads:
        _check_earlier_limits(req, since_uploads, settings)
    return req, uploads, since_uploads


def _form_json_list(text: str, field: str) -> list[Any]:
    try:
        parsed = _loads(text)
    except _TooDeep:
        raise _too_deep_error(f"form field {field!r}") from None
    except json.JSONDecodeError as e:
        raise ApiError(400, f"form field {field!r} is not valid JSON: {e}") from None
    if isinstance(parsed, dict) and "articles" in parsed:
        parsed = parsed["articles"]
    return parsed if isinstance(parsed, list) else [parsed]


async def _parse_form(request: Request, settings: Settings) -> tuple[dict[str, Any], list[Upload], list[Upload]]:
    try:
        form = await request.form(
            max_files=2 * settings.max_articles + 1, max_fields=100 + MAX_SINCE_BRIEFS,
            max_part_size=settings.max_body_bytes,
        )
    except BodyTooLarge:
        raise
    except Exception as e:  # starlette's MultiPartException and friends
        detail = getattr(e, "detail", None) or getattr(e, "message", None) or str(e)
        if "Too many files" in str(detail):
            raise ApiError(
                413,
                f"too many files: at most {settings.max_articles} articles per brief",
                limit=settings.max_articles,
                setting="max_articles",
            ) from None
        raise ApiError(400, f"could not read the form: {detail}") from None
    payload: dict[str, Any] = {}
    for key in ("words", "format", "include_text", "save", "story"):
        if form.get(key) not in (None, ""):
            payload[key] = form.get(key)
    if form.get("query") is not None:  # an empty question is a 422, not a general brief
        payload["query"] = form.get("query")
    since = [v for v in form.getlist("since") if not isinstance(v, str) or v.strip()]
    if since:
        payload["since"] = since
    for key in ("articles", "since_articles"):
        text = form.get(key)
        if isinstance(text, str) and text.strip():
            payload[key] = _form_json_list(text, key)
    taken: set[str] = set()

    async def files(*keys: str) -> list[Upload]:
        out = []
        for key in keys:
            for item in form.getlist(key):
                if not isinstance(item, UploadFile):
                    raise ApiError(400, f"form field {key!r} must be a file upload")
                original = item.filename or "article.txt"
                data = await item.read()
                out.append(Upload(safe_filename(original, taken), data))
                item.file.close()
        return out

    uploads = await files("files", "file")
    return payload, uploads, await files("since_files")


def _check_limits(req: BriefRequest, uploads: list[Upload], settings: Settings) -> None:
    """Emptiness, the article count and the article size: every article counted and measured however it
    arrives (JSON body, form field, uploaded file; in a .json/.jsonl upload an article object, a list of
    them, ``{"articles": [...]}`` or benchmark rows ``{"documents": [...]}``).

    An empty article, an empty, unsupported or broken file is not counted (the reader skips it with
    a warning, as the CLI does); when nothing usable is left, that is a 400 naming every problem."""
    count, problems = _measure(req.articles, uploads, settings, "article")
    if count == 0:
        if len(problems) == 1:
            raise problems[0]
        if problems:
            raise ApiError(400, "no usable articles: " + "; ".join(str(p.detail) for p in problems))
        raise ApiError(400, 'no articles: send {"articles": [{"text": "..."}, ...]} or upload files')
    _check_count(count, settings, "articles")


def _check_earlier_limits(req: BriefRequest, uploads: list[Upload], settings: Settings) -> None:
    """The earlier articles (`since_articles`, `since_files`): counted and measured as the new ones are; the
    unusable ones are skipped with a warning by the reader (none usable: the brief says so)."""
    count, _ = _measure(req.since_articles, uploads, settings, "earlier article")
    _check_count(count, settings, "earlier articles")


def _check_count(count: int, settings: Settings, what: str) -> None:
    """413 when more than `settings.max_articles` of `what` ("articles", "earlier articles") came."""
    if count > settings.max_articles:
        raise ApiError(413, f"{count} {what}: at most {settings.max_articles} per brief",
                       limit=settings.max_articles, setting="max_articles")


def _measure(articles: list[ArticleIn], uploads: list[Upload], settings: Settings,
             what: str) -> tuple[int, list[ApiError]]:
    """The usable articles' count and the problems of the others; an article over the size limit is a 413."""
    count = 0
    problems: list[ApiError] = []
    for n, a in enumerate(articles, 1):
        if not a.text.strip():
            name = f" ({a.title!r})" if a.title else ""
            problems.append(ApiError(400, f"{what} {n}{name} has no text"))
            continue
        count += 1
        if len(a.text) > settings.max_article_chars:
            raise ApiError(
                413,
                f"{what} {n} has {len(a.text):,} characters, over the limit of {settings.max_article_chars:,}",
                limit=settings.max_article_chars,
                setting="max_article_chars",
            )
    for up in uploads:
        ext = _suffix(up.name)
        if ext not in UPLOAD_TYPES:
            problems.append(ApiError(400, f"file {up.name!r}: unsupported type {ext or '(none)'}; use "
                                     + ", ".join(sorted(UPLOAD_TYPES))))
            continue
        text = decode_bytes(up.data).text  # as the reader decodes it (BOMs, UTF-8, detected legacy encodings)
        if text is None:
            text = up.data.decode("utf-8", errors="replace")
        if not text.strip():
            problems.append(ApiError(400, f"file {up.name!r} is empty"))
            continue
        try:
            texts = _upload_texts(up, text)
        except ApiError as e:
            if e.status_code != 400:
                raise
            problems.append(e)
            continue
        count += len(texts)
        for i, t in enumerate(texts, 1):
            if len(t) > settings.max_article_chars:
                where = f"file {up.name!r}" if len(texts) == 1 and t is text else f"file {up.name!r}, article {i}"
                raise ApiError(
                    413,
                    f"{where} has {len(t):,} characters, over the limit of {settings.max_article_chars:,}",
                    limit=settings.max_article_chars,
                    setting="max_article_chars",
                )
    return count, problems
