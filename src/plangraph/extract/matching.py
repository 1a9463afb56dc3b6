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


def bigrams(text: str) -> set[tuple[str, str]]:
    words = re.findall(r"[a-z0-9]+", fold(text))
    return set(zip(words, words[1:]))


def containment(short: str, long: str) -> float:
    """How much of the short name the long one contains: content words, and word pairs so
    that "nước sạch" is not found in "nhà nước ... ngân sách" (folding merges sạch/sách)."""
    a, b = tokens(short), tokens(long)
    if not a:
        return 0.0
    uni = len(a & b) / len(a)
    pa, pb = bigrams(short), bigrams(long)
    bi = len(pa & pb) / len(pa) if pa else uni
    return (uni + bi) / 2


def similarity(x: str, y: str) -> float:
    a, b = tokens(x), tokens(y)
    return len(a & b) / len(a | b) if a and b else 0.0
