"""Text normalisation: full-width characters, spaces inside CJK text, cell values, label keys.

Everything that decides how printed text is compared lives here, so that the readers, the
table mapper and the metadata extractor agree on it.
"""

from __future__ import annotations

import re
import unicodedata

# Texts a cell holds when it states no number. Blank ("") is kept apart from these.
PLACEHOLDERS = frozenset({"/", "／", "—", "——", "-", "--", "–", "无", "空", "/ ", "\\", "×"})

# Digits before the decimal point of the largest figure a report states (far above any count or
# amount); a longer run of digits is not a figure (and Python refuses to convert thousands of them).
MAX_DIGITS = 15

_SPACE_RE = re.compile(r"\s+")
_NUMBER_RE = re.compile(r"^[+-]?(\d+)(?:\.\d+)?")
# A cell or token that states a number: "12", "-18", "24252.311082", "251000元", "22（其中修订16件）".
_VALUE_RE = re.compile(rf"[+-]?\d{{1,{MAX_DIGITS}}}(?:\.\d+)?(?:万元|元|件|条|个|项|次|%)?(?:\(.*\))?")
# Enumerators printed before labels: 三、 (二) 1. 1、 ⑴ 第一项 ...; applied after NFKC.
_ENUM_RE = re.compile(
    r"(?:[一二三四五六七八九十]+[、.,]"
    r"|\(\s*[一二三四五六七八九十]+\s*\)"
    r"|(?<![\d.])\d{1,2}\s*[、.,](?!\d)"
    r"|\(\s*\d{1,2}\s*\)[、.]?)"
)
_KEY_DROP_RE = re.compile(r"[\s\"'“”‘’「」『』《》<>()\[\]【】,，。.:：;；、!！?？·•\-—_/|]")


_PAGE_NUMBER_RE = re.compile(r"^(?:[-—–]+\d{1,3}[-—–]+|第\d{1,3}页(?:共\d{1,3}页)?|\d{1,3}/\d{1,3})$")


def is_page_number(text: str) -> bool:
    """Footers such as "- 3 -", "第 3 页", "3/7"."""
    return bool(_PAGE_NUMBER_RE.match(squash(text)))


# CJK radical-supplement forms that some web fonts and CMSs print in place of the ideograph (⺠ for 民);
# NFKC maps the Kangxi radicals (⼈ U+2F08 -> 人) but leaves these alone.
_RADICALS = str.maketrans({0x2E81: "厂", 0x2E93: "幺", 0x2E9F: "母", 0x2EA0: "民", 0x2EC4: "西", 0x2EC5: "见",
                           0x2EC6: "角", 0x2ED3: "长", 0x2ED4: "门", 0x2ED8: "青", 0x2ED9: "韦", 0x2EDA: "页",
                           0x2EDB: "风", 0x2EDC: "飞", 0x2EDD: "食", 0x2EE2: "马", 0x2EE3: "骨", 0x2EE4: "鬼",
                           0x2EE5: "鱼", 0x2EE6: "鸟", 0x2EE7: "卤", 0x2EE8: "麦", 0x2EE9: "黄", 0x2EEC: "齐",
                           0x2EEE: "齿", 0x2EF0: "龙", 0x2EF3: "龟"})


def nfkc(text: str) -> str:
    """Full-width digits, letters and punctuation to their half-width forms; Kangxi and
    radical-supplement look-alikes (⼈⺠) to the ideographs they stand for (人民)."""
    return unicodedata.normalize("NFKC", text).translate(_RADICALS)


def squash(text: str) -> str:
    """NFKC and remove every whitespace character (CJK text needs no spaces); normalised again
    where removing a blank put a combining mark next to a letter, so that squash is idempotent."""
    t = _SPACE_RE.sub("", nfkc(text))
    return t if t.isascii() else nfkc(t)


def clean_cell(text: str | None) -> str:
    """A cell's text as printed, with line breaks and padding removed but the characters kept."""
    if text is None:
        return ""
    lines = [ln.strip() for ln in text.splitlines()]
    return "".join(ln for ln in lines if ln).strip()


def is_value_like(text: str) -> bool:
    """True for a cell that holds a number, a placeholder such as "/", or nothing."""
    t = squash(text)
    return t == "" or t in PLACEHOLDERS or bool(_VALUE_RE.fullmatch(t.replace(",", "")))


def parse_value(raw: str) -> float | int | None:
    """The number a cell states: "12" -> 12, "-18" -> -18, "251000元" -> 251000,
    "22（其中修订16件）" -> 22, "24252.311082" -> 24252.311082; None for "", "/", "—", "无", and
    for more than MAX_DIGITS digits (which is_value_like refuses too, so the cell is unsure)."""
    t = squash(raw).replace(",", "")
    if t in PLACEHOLDERS or t == "":
        return None
    m = _NUMBER_RE.match(t)
    if not m or len(m.group(1)) > MAX_DIGITS:
        return None
    s = m.group(0)
    if "." in s:
        return float(s)
    return int(s)


def split_enumerated(label: str) -> list[str]:
    """Split a label into its enumerated parts: "三、本年度办理结果（一）予以公开" ->
    ["三、本年度办理结果", "(一)予以公开"]. Text before the first enumerator is its own part."""
    t = squash(label)
    starts = [m.start() for m in _ENUM_RE.finditer(t)]
    if not starts:
        return [t] if t else []
    parts = []
    if starts[0] > 0:
        parts.append(t[: starts[0]])
    bounds = starts + [len(t)]
    for a, b in zip(bounds, bounds[1:], strict=False):
        if t[a:b]:
            parts.append(t[a:b])
    return parts


def starts_with_enumerator(label: str) -> bool:
    t = squash(label)
    m = _ENUM_RE.match(t)
    return m is not None


def enumerator(label: str) -> str:
    """The enumerator of a label's most specific part, its punctuation dropped ("3.其他" -> "3",
    "（七）总计" -> "(七)"), or ""."""
    parts = split_enumerated(label)
    m = _ENUM_RE.match(parts[-1]) if parts else None
    return re.sub(r"[\s、.,]", "", m.group(0)) if m else ""


def label_key(label: str) -> str:
    """Matching key of a label: normalised, enumerators and punctuation removed."""
    return _KEY_DROP_RE.sub("", _ENUM_RE.sub("", squash(label)))
