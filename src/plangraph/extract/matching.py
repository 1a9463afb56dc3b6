"""Fuzzy matching of short Vietnamese names against indicator names (folded tokens)."""

from __future__ import annotations

import re

from ..text import fold

_STOP = {
    "ty", "le", "cua", "cac", "va", "duoc", "tren", "dia", "ban", "phuong", "xa", "so", "trong", "cho", "voi",
    "theo", "la", "nam", "dat", "muc", "toc", "do", "tang", "chi", "tieu", "ve", "nguoi", "dan", "tong", "bao", "dam",
}


def tokens(text: str) -> set[str]:
    return {t for t in re.findall(r"[a-z0-9]+", fold(text)) if t not in _STOP and len(t) > 1}


def containment(short: str, long: str) -> float:
    """Share of the short name's content words found in the long one."""
    a, b = tokens(short), tokens(long)
    return len(a & b) / len(a) if a else 0.0


def similarity(x: str, y: str) -> float:
    a, b = tokens(x), tokens(y)
    return len(a & b) / len(a | b) if a and b else 0.0
