"""Vietnamese text helpers: Unicode normalisation, diacritic folding, slugs.

Folding is a few lines over unicodedata after NFC (no GPL dependency): strip combining
marks after NFD and map đ/Đ (which has no decomposition) to d/D.
"""

from __future__ import annotations

import re
import unicodedata

# Characters PDF extraction substitutes for Vietnamese letters: Icelandic eth for Đ.
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "\u00a0": " ", "\u2011": "-", "\u2013": "-", "\u2014": "-"})

_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def nfc(text: str) -> str:
    """NFC-normalise and repair look-alike characters (Ð -> Đ, non-breaking spaces, dashes)."""
    return unicodedata.normalize("NFC", text.translate(_LOOKALIKES))


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics: "Hàm Rồng" -> "ham rong", "Đoàn" -> "doan"."""
    decomposed = unicodedata.normalize("NFD", nfc(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def slug(text: str) -> str:
    """A readable IRI segment: folded, ASCII, hyphen-separated ("Đoàn Kết" -> "doan-ket")."""
    folded = fold(text)
    return _SLUG_DROP.sub("-", folded).strip("-")


def squash(text: str) -> str:
    """Collapse runs of white space to one space and trim."""
    return " ".join(text.split())


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def proper_name_at(text: str, start: int, max_words: int = 4) -> str | None:
    """The run of capitalised words starting at `start` ("Đoàn Kết đề nghị" -> "Đoàn Kết").

    Regex classes cannot tell Vietnamese capitals apart (Latin Extended Additional
    alternates upper and lower case), so this walks words and asks str.isupper().
    """
    words: list[str] = []
    pos = start
    while len(words) < max_words:
        m = _WORD.match(text, pos)
        if not m or not m.group(0)[0].isupper():
            break
        words.append(m.group(0))
        pos = m.end()
        if pos < len(text) and text[pos] == " ":
            pos += 1
        else:
            break
    return " ".join(words) or None
