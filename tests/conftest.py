"""Shared fixtures: the real spaCy model is loaded once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path:
    return Path(os.environ.get("EXODUS_CORPUS", REPO.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def detector():
    from extract.departures import Detector

    return Detector()
