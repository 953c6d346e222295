"""Server settings: the `Settings` dataclass, its defaults and the NEWSBRIEF_* environment variables.

Limits (Settings field / environment variable / default)
    data_dir           NEWSBRIEF_DATA_DIR           $XDG_DATA_HOME/newsbrief or ~/.local/share/newsbrief
    max_articles       NEWSBRIEF_MAX_ARTICLES       50 articles per brief
    max_article_chars  NEWSBRIEF_MAX_ARTICLE_CHARS  200,000 characters per article (or uploaded file)
    max_body_bytes     NEWSBRIEF_MAX_BODY_BYTES     10,000,000 bytes per request body
    time_limit         NEWSBRIEF_TIME_LIMIT         60 seconds of work per brief (504 past it; the
                                                    brief's worker process is killed and replaced)
    workers            NEWSBRIEF_WORKERS            2 briefs computed at once (worker processes, each
                                                    about 150-250 MB; see newsbrief.web.runner)
    max_queue          NEWSBRIEF_MAX_QUEUE          100 briefs waiting for a worker (503 past it)
    queue_timeout      NEWSBRIEF_QUEUE_TIMEOUT      120 seconds a brief may wait for a worker (503)
    allowed_hosts      NEWSBRIEF_ALLOWED_HOSTS      Host header names answered (comma-separated); by
                                                    default any, and only loopback names when `run`
                                                    binds a loopback address (against DNS rebinding)
    warm_up            NEWSBRIEF_WARM_UP            brief a tiny sample at start-up (loads the model);
                                                    on by default in `run`, off in `create_app`
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar

MIN_WORDS, MAX_WORDS, DEFAULT_WORDS = 10, 5000, 150
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "newsbrief"


def _hosts(value: str) -> list[str]:
    return [h.strip() for h in value.split(",") if h.strip()]


def _flag(value: str) -> bool:
    return value.strip().lower() not in ("0", "false", "no", "off")


@dataclass
class Settings:
    """Server settings; `Settings.from_env()` reads NEWSBRIEF_* variables, keyword arguments win."""

    data_dir: Path | None = None  # None: NEWSBRIEF_DATA_DIR or the XDG data directory
    max_articles: int = 50
    max_article_chars: int = 200_000
    max_body_bytes: int = 10_000_000
    time_limit: float = 60.0  # seconds of work per brief (504 past it)
    workers: int = 2  # briefs computed at once
    max_queue: int = 100  # briefs waiting for a worker (503 past it)
    queue_timeout: float = 120.0  # seconds a brief may wait for a worker (503 past it)
    allowed_hosts: list[str] | None = None  # Host names answered; None: any. run() on loopback: loopback names
    warm_up: bool = False  # brief a tiny sample in the background at start-up (loads the model)
    # The brief function, `fn(inputs, words=N) -> Brief`; None means `newsbrief.brief`.
    # For tests and for embedding the app around another pipeline. It runs in worker processes,
    # which import it by name: a module-level function of an importable module.
    brief_fn: Callable[..., Any] | None = field(default=None, repr=False)

    _ENV: ClassVar[dict[str, tuple[str, Callable[[str], Any]]]] = {
        "data_dir": ("NEWSBRIEF_DATA_DIR", Path),
        "max_articles": ("NEWSBRIEF_MAX_ARTICLES", int),
        "max_article_chars": ("NEWSBRIEF_MAX_ARTICLE_CHARS", int),
        "max_body_bytes": ("NEWSBRIEF_MAX_BODY_BYTES", int),
        "time_limit": ("NEWSBRIEF_TIME_LIMIT", float),
        "workers": ("NEWSBRIEF_WORKERS", int),
        "max_queue": ("NEWSBRIEF_MAX_QUEUE", int),
        "queue_timeout": ("NEWSBRIEF_QUEUE_TIMEOUT", float),
        "allowed_hosts": ("NEWSBRIEF_ALLOWED_HOSTS", _hosts),
        "warm_up": ("NEWSBRIEF_WARM_UP", _flag),
    }

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        env: Mapping[str, str] = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, (var, conv) in cls._ENV.items():
            if env.get(var):
                try:
                    values[name] = conv(env[var])
                except ValueError as e:
                    raise ValueError(f"{var}={env[var]!r} is not a valid {getattr(conv, '__name__', 'value')}") from e
        known = {f.name for f in fields(cls)}
        for name, value in overrides.items():
            if name not in known:
                raise TypeError(f"unknown setting {name!r}")
            if value is not None:
                values[name] = value
        return cls(**values)

    def __post_init__(self) -> None:
        if self.data_dir is None:
            self.data_dir = default_data_dir()
        self.data_dir = Path(self.data_dir).expanduser()
        for name in ("max_articles", "max_article_chars", "max_body_bytes", "workers"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.max_queue < 0:
            raise ValueError("max_queue must be 0 or more")
        if not self.time_limit > 0:
            raise ValueError("time_limit must be more than 0 seconds")
        if not self.queue_timeout > 0:
            raise ValueError("queue_timeout must be more than 0 seconds")

    @property
    def data_path(self) -> Path:
        """`data_dir`, always set after construction."""
        assert self.data_dir is not None
        return Path(self.data_dir)

    def limits(self) -> dict[str, Any]:
        return {
            "max_articles": self.max_articles,
            "max_article_chars": self.max_article_chars,
            "max_body_bytes": self.max_body_bytes,
            "time_limit": self.time_limit,
            "queue_timeout": self.queue_timeout,
            "min_words": MIN_WORDS,
            "max_words": MAX_WORDS,
            "default_words": DEFAULT_WORDS,
            "workers": self.workers,
        }
