"""Hand-checked expectations of the source plans (tests/expectations/*.yaml), loaded into
plain dicts with the YAML 1.1 `no:` key repaired."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .errors import PlangraphError


def _fix(obj: Any) -> Any:
    # YAML 1.1 reads an unquoted `no:` key as the boolean False.
    if isinstance(obj, dict):
        return {("no" if k is False else k): _fix(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_fix(v) for v in obj]
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, (int, float)) and not isinstance(obj, bool):
        return obj
    return obj


def load(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PlangraphError(f"{path}: invalid YAML: {exc}", "fix the expectations file") from exc
    data = _fix(data)
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
