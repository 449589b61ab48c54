"""Sentences of a section, and the share of them repeated from another report (不雷同).

Sentences are compared after their figures are masked (“2023年…8件” and “2024年…12件” are the
same sentence with the year changed) and their punctuation dropped."""

from __future__ import annotations

import re

_SPLIT = re.compile(r"(?<=[。!?;！？；])")
_MASK = re.compile(r"\d+(?:\.\d+)?|[〇零○一二三四五六七八九十百千万]+(?=[年月日件条个次项篇期])")
_PUNCT = re.compile(r"[\s,，、:：;；。!！?？()（）“”\"'《》〈〉【】\[\]\-—…·]")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT.split(text) if s.strip()]


_ENUM = re.compile(r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.、])")


def key(sentence: str) -> str:
    """The sentence as compared: its enumerator ("(四)", "三、"), figures and punctuation dropped."""
    return _PUNCT.sub("", _MASK.sub("#", _ENUM.sub("", sentence)))


def repeated(text: str, earlier: str, min_chars: int) -> tuple[list[str], int]:
    """The sentences of `text` (of at least min_chars) also in `earlier`, and how many were compared."""
    before = {key(s) for s in sentences(earlier)}
    mine = [s for s in sentences(text) if len(key(s)) >= min_chars]
    return [s for s in mine if key(s) in before], len(mine)


def sentence_around(text: str, start: int, end: int, limit: int = 120) -> str:
    """The sentence holding text[start:end], shortened to `limit` characters around it."""
    a = max(text.rfind(c, 0, start) for c in "。;!?") + 1
    ends = [i for i in (text.find(c, end) for c in "。;!?") if i >= 0]
    b = min(ends) + 1 if ends else len(text)
    s = text[a:b]
    if len(s) > limit:
        mid = start - a
        s = ("…" if mid > limit // 2 else "") + s[max(0, mid - limit // 2): mid + limit // 2] + "…"
    return s
