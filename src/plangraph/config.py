"""Settings: the IRI base, the data directory and the SPARQL endpoint, from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BASE = "https://w3id.org/plangraph/"


def _default_data_dir() -> Path:
    # In a checkout (editable install) the data sits beside src/; from a wheel, use ./data.
    checkout = Path(__file__).resolve().parents[2] / "data"
    if checkout.is_dir():
        return checkout
    return Path.cwd() / "data"


@dataclass(frozen=True)
class Settings:
    base: str = DEFAULT_BASE
    data_dir: Path = Path("data")
    endpoint: str | None = None
    update_endpoint: str | None = None
    timeout: float = 30.0
    # The embedded store's persistent index: "auto" (for data too big to load quickly),
    # "on" (always) or "off" (always load the Turtle into memory).
    index: str = "auto"
    index_root: Path | None = None  # default: <data_dir>/.index

    @property
    def sources_dir(self) -> Path:
        return self.data_dir / "sources"

    @property
    def ttl_dir(self) -> Path:
        return self.data_dir / "ttl"

    @property
    def index_dir(self) -> Path:
        return self.index_root or self.data_dir / ".index"

    @property
    def curation_dir(self) -> Path:
        return self.data_dir / "curation"


def settings(**overrides: object) -> Settings:
    """Settings from PLANGRAPH_* environment variables, with explicit overrides on top."""
    values: dict[str, object] = {
        "base": os.environ.get("PLANGRAPH_BASE", DEFAULT_BASE),
        "data_dir": Path(os.environ["PLANGRAPH_DATA"]) if os.environ.get("PLANGRAPH_DATA") else _default_data_dir(),
        "endpoint": os.environ.get("PLANGRAPH_ENDPOINT") or None,
        "update_endpoint": os.environ.get("PLANGRAPH_UPDATE_ENDPOINT") or None,
        "timeout": float(os.environ.get("PLANGRAPH_TIMEOUT", "30")),
        "index": os.environ.get("PLANGRAPH_INDEX", "auto").strip().lower() or "auto",
        "index_root": Path(os.environ["PLANGRAPH_INDEX_DIR"]) if os.environ.get("PLANGRAPH_INDEX_DIR") else None,
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    if not str(values["base"]).endswith(("/", "#")):
        values["base"] = f"{values['base']}/"
    values["data_dir"] = Path(values["data_dir"])  # type: ignore[arg-type]
    if values["index"] not in ("auto", "on", "off"):
        from .errors import PlangraphError

        raise PlangraphError(f"PLANGRAPH_INDEX={values['index']!r} is not auto, on or off", "unset it or use auto")
    return Settings(**values)  # type: ignore[arg-type]
