"""Shared test setup: the repository's paths, the shared benchmark data, an offline model hub."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "us-iran-talks"  # the bundled seed articles
LABELS = ROOT / "tests" / "labels"
FIXTURES = ROOT / "tests" / "fixtures"
DATA = ROOT.parent / "shared" / "data"  # benchmark data beside the clone, never in the repository

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may reach a model hub from the tests


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, or skip: the licensed benchmark sets are not part of the repository."""
    if not DATA.is_dir():
        pytest.skip("../shared/data is not beside the clone")
    return DATA
