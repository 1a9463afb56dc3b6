"""Hand-checked expectations of the source plans (tests/expectations/*.yaml), loaded into
plain dicts with the YAML 1.1 `no:` key repaired."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import PlangraphError
from .yamlio import load_yaml


def load(path: Path) -> dict[str, Any]:
    data = load_yaml(path)
    for ind in data.get("indicators", []):
        ind["no"] = None if ind.get("no") is None else str(ind["no"])
    for t in data.get("tasks", []):
        t["no"] = None if t.get("no") is None else str(t["no"])
    return data


def load_all(folder: Path) -> dict[str, dict[str, Any]]:
    """Expectations by source file name."""
    if not folder.is_dir():
        raise PlangraphError(f"{folder}: no expectations folder", "pass --expectations DIR")
    return {(d := load(p))["source"]: d for p in sorted(folder.glob("*.yaml"))}
