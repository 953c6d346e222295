"""Response models of the HTTP API, generated from the typed records of `newsbrief.model`.

One source of truth: every analysis record (`Conflict`, `Quote`, `TimelineEntry`, ...) becomes a
Pydantic model field for field, with its type, its default and its docstring, so a field added to
a record is in the OpenAPI schema without touching this module. `Brief.to_dict()` builds the
article and summary dicts by hand; their models are the records' fields plus the keys it adds,
and `tests/test_api.py` checks that a real brief's JSON validates against `BriefOut` with no key
left out of the schema.

The models document and validate; the routes still send `Brief.to_dict()` as it is.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Union

from pydantic import BaseModel, ConfigDict, Field, create_model

from newsbrief import model as m

_MODELS: dict[Any, type[BaseModel]] = {}
_CONFIG = ConfigDict(extra="allow")  # a newer server may send more keys: clients must not break


def _annotation(hint: Any) -> Any:
    """A record field's type with every record replaced by its model."""
    origin = typing.get_origin(hint)
    if origin is list:
        (item,) = typing.get_args(hint)
        return list[_annotation(item)]  # type: ignore[misc]
    if origin is dict:
        return dict[str, Any]
    if origin in (Union, types.UnionType):
        args = [_annotation(a) for a in typing.get_args(hint)]
        out = args[0]
        for a in args[1:]:
            out = Union[out, a]  # noqa: UP007 - built at run time
        return out
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return model_of(hint)
    return hint


def model_of(cls: type, name: str | None = None, exclude: tuple[str, ...] = (),
             extra: dict[str, tuple[Any, Any]] | None = None) -> type[BaseModel]:
    """The Pydantic model of a record dataclass (cached): its fields, `exclude` left out, `extra` added
    (name -> (type, default or ...))."""
    key: Any = cls if name is None else (cls, name)
    if key in _MODELS:
        return _MODELS[key]
    hints = typing.get_type_hints(cls)
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in exclude:
            continue
        if f.default is not dataclasses.MISSING:
            default: Any = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = Field(default_factory=f.default_factory)
        else:
            default = ...
        fields[f.name] = (_annotation(hints[f.name]), default)
    fields.update(extra or {})
    doc = " ".join((cls.__doc__ or "").split())
    model = create_model(name or cls.__name__, __config__=_CONFIG, __doc__=doc, **fields)
    _MODELS[key] = model
    return model


SpanOut = model_of(m.Span, "Span")
RemovalOut = model_of(m.Removal, "Removal")
SummarySentenceOut = model_of(
    m.SummarySentence, "SummarySentence", exclude=("claim",),
    extra={"outlets": (list[str], Field(default_factory=list, description=(
        "The outlet of each source, in the order of `sources` (\"\" when not known)")))},
)
ArticleOut = model_of(
    m.Article, "Article", exclude=("raw", "path", "text"),
    extra={
        "number": (int, Field(..., description="The article's number in citations ([1], [2], ...)")),
        "outlet_label": (str, Field("", description="Where it comes from, in a reader's words: "
                                                    "\"NCRI, from AFP\", \"Reuters\"; \"\" when not known")),
        "text": (str | None, Field(None, description="The cleaned text (left out with include_text=false)")),
        "summarised": (bool, Field(True, description="False for an article only listed among the sources")),
        "not_summarised_because": (str | None, Field(None, description=(
            "Why it is only listed (e.g. \"in Polish (pl), not English (en)\"); null when summarised"))),
    },
)
OutletOut = model_of(m.OutletCoverage, "OutletCoverage")
FigureChangeOut = model_of(m.FigureChange, "FigureChange")
StoryOut = model_of(m.StoryChoice, "StoryChoice")

_SECTIONS = {f.name: f for f in dataclasses.fields(m.Analysis)}
_ANALYSIS_HINTS = typing.get_type_hints(m.Analysis)
BriefOut = create_model(  # type: ignore[call-overload]
    "Brief",
    __config__=_CONFIG,
    __doc__="A brief: the cited summary, the cross-source analysis (one list per section), the articles.",
    title=(str, ""),
    words=(int, Field(..., description="The word budget asked for")),
    summary_words=(int, 0),
    summary=(list[SummarySentenceOut], Field(default_factory=list)),  # type: ignore[valid-type]
    articles=(list[ArticleOut], Field(default_factory=list)),  # type: ignore[valid-type]
    warnings=(list[str], Field(default_factory=list)),
    **{name: (_annotation(_ANALYSIS_HINTS[name]), Field(default_factory=list)) for name in _SECTIONS},
    outlets=(list[OutletOut], Field(default_factory=list, description="The source list by outlet")),  # type: ignore[valid-type]
    stories=(list[StoryOut], Field(default_factory=list, description=(  # type: ignore[valid-type]
        "The stories of an input that covers several unrelated ones (empty for one story)"))),
    provenance=(dict[str, Any], Field(default_factory=dict, description=(
        "How it was made: version, words, analysis, embeddings, story"))),
    # update and question-focused briefs (absent from a generic brief)
    mode=(str | None, Field(None, description=(
        "\"update\", \"query\" or \"update+query\"; absent for a generic brief"))),
    query=(str | None, Field(None, description="The question the brief answers (question-focused briefs)")),
    answered=(bool | None, Field(None, description=(
        "Whether anything in the articles answers the question; false: the general brief follows"))),
    since=(list[str], Field(default_factory=list, description=(
        "Update briefs: the ids of the earlier articles (`earlier_articles`) the brief is made since"))),
    earlier_articles=(list[ArticleOut], Field(default_factory=list, description=(  # type: ignore[valid-type]
        "Update briefs: the earlier coverage, numbered after `articles` in citations"))),
    changes=(list[FigureChangeOut], Field(default_factory=list, description=(  # type: ignore[valid-type]
        "Update briefs: figures of the earlier coverage set against the new ones, both sides cited"))),
    since_briefs=(list[str], Field(default_factory=list, description=(
        "Update briefs made by the API: the saved briefs given in the request's `since`"))),
)
SavedBriefOut = create_model(
    "SavedBrief", __base__=BriefOut, __doc__="A saved brief: the brief with its id and the time it was saved.",
    id=(str, ...), created_at=(str, Field(..., description="ISO 8601, UTC")),
)


class FieldError(BaseModel):
    field: str
    message: str
    type: str


class ErrorOut(BaseModel):
    """Every error: {"error": message} and, depending on the error, the fields below."""

    model_config = _CONFIG
    error: str
    details: list[FieldError] | None = Field(None, description="422: the invalid fields")
    limit: float | None = Field(None, description="413/503/504: the limit exceeded")
    setting: str | None = Field(None, description="413/503/504: the setting that holds that limit")
    line: int | None = Field(None, description="400: the line of an uploaded file that is not valid JSON")
    database: str | None = Field(None, description="503/507: the database file")
    cause: str | None = Field(None, description="503/507: SQLite's reason")


class UnsavedOut(ErrorOut):
    """503/507 after the brief was computed: it could not be saved, and is returned anyway."""

    saved: bool = False
    brief: BriefOut  # type: ignore[valid-type]


class BriefSummaryOut(BaseModel):
    id: str
    created_at: str
    title: str
    words: int
    summary_words: int
    n_articles: int
    n_sentences: int


class BriefListOut(BaseModel):
    items: list[BriefSummaryOut]
    total: int
    limit: int
    offset: int
    next_offset: int | None


class HealthOut(BaseModel):
    status: str
    version: str
    limits: dict[str, Any]


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for these error statuses, all with the `ErrorOut` body."""
    text = {
        400: "Bad input (malformed JSON, no usable article, unknown story)",
        403: "Cross-site write refused",
        404: "No such brief",
        413: "Body, article or article count over a limit",
        415: "Neither JSON nor a form",
        422: "Invalid fields (`details` lists them)",
        503: "Server busy, or the database cannot be used",
        504: "The brief took longer than the time limit",
        507: "The database's disk is full",
    }
    return {c: {"model": ErrorOut, "description": text[c]} for c in codes}


__all__ = ["model_of", "BriefOut", "FigureChangeOut", "SavedBriefOut", "SummarySentenceOut", "ArticleOut", "ErrorOut",
           "UnsavedOut", "BriefListOut", "HealthOut", "error_responses"]
