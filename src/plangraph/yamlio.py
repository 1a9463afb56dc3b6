"""YAML reading for the reviewable files (manifest, curation, expectations).

YAML 1.1 reads an unquoted `no:` key as the boolean False, and `no` is the field name for
an item's number in a plan: the loader turns such keys back into "no", so the files stay
natural to write by hand.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .errors import PlangraphError


def repair(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {("no" if k is False else k): repair(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [repair(v) for v in obj]
    if isinstance(obj, date):
        return obj.isoformat()
    return obj


def load_yaml(path: Path, error: type[PlangraphError] = PlangraphError) -> Any:
    try:
        return repair(yaml.safe_load(path.read_text(encoding="utf-8")))
    except yaml.YAMLError as exc:
        raise error(f"{path}: invalid YAML: {exc}", "fix the file (YAML syntax)") from exc
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text", "save the file as UTF-8") from exc
