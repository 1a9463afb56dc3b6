"""Package data (ontology, vocabularies, shapes, canned queries) through importlib.resources.

The ontology/ folder of the checkout is mapped into the package as `plangraph.ontology`,
so the same files serve a checkout and an installed wheel.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


def ontology_dir() -> Traversable:
    return resources.files("plangraph.ontology")


def ontology_file() -> Traversable:
    return ontology_dir().joinpath("plangraph.ttl")


def _ttl_files(folder: Traversable) -> list[Traversable]:
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.name.endswith(".ttl")), key=lambda f: f.name)


def vocab_files() -> list[Traversable]:
    return _ttl_files(ontology_dir().joinpath("vocab"))


def shape_files() -> list[Traversable]:
    return _ttl_files(ontology_dir().joinpath("shapes"))


def reference_files() -> list[Traversable]:
    """The ontology and every vocabulary: the reference data every store loads."""
    return [ontology_file(), *vocab_files()]


def query_dir() -> Traversable:
    return resources.files("plangraph").joinpath("queries")
