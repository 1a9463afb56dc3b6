"""Shared fixtures: the five plans built once per session, the embedded store over them."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
EXPECTATIONS = ROOT / "tests" / "expectations"


@pytest.fixture(scope="session")
def settings():
    from plangraph.config import settings as load

    return load(data_dir=ROOT / "data")


@pytest.fixture(scope="session")
def built(settings):
    """A fresh build of the five plans (in memory; data/ttl is not touched)."""
    from plangraph.graph.pipeline import build

    return build(settings)


@pytest.fixture(scope="session")
def store(settings):
    """The embedded store over the committed data/ttl, as the app and CLI see it."""
    from plangraph.store import open_store

    return open_store(settings)


@pytest.fixture(scope="session")
def expectations():
    from plangraph.expectations import load_all

    return load_all(EXPECTATIONS)


@pytest.fixture(scope="session")
def extractions(expectations):
    """The extractor alone (no curation) on each source with expectations."""
    from plangraph.extract.pipeline import extract
    from plangraph.vocab import concept_lexicon

    concepts = list(concept_lexicon())
    return {src: extract(SOURCES / src, concepts) for src in expectations}
