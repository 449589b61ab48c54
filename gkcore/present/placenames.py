"""Region names in English: the pinyin of each level's name with its official suffix in English,
the smallest level first ("江苏省淮安市洪泽区" -> "Hongze District, Huai'an City, Jiangsu
Province"). Pinyin by pypinyin (phrases read as places are: 重庆 Chongqing, 长沙 Changsha); a
syllable that starts with a, o or e after another gets the apostrophe (淮安 Huai'an, 西安 Xi'an).
The provinces whose customary English name is no plain pinyin are listed (陕西 Shaanxi, 内蒙古
Inner Mongolia, …). Display only: exports keep the Chinese name and the GB/T 2260 code."""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import lazy_pinyin

# Longest first: "自治县" before "县", "新区" before "区".
SUFFIXES: tuple[tuple[str, str], ...] = (
    ("特别行政区", "Special Administrative Region"),
    ("维吾尔自治区", "Uygur Autonomous Region"), ("壮族自治区", "Zhuang Autonomous Region"),
    ("回族自治区", "Hui Autonomous Region"), ("自治区", "Autonomous Region"), ("自治州", "Autonomous Prefecture"),
    ("自治县", "Autonomous County"), ("自治旗", "Autonomous Banner"), ("综合实验区", "Comprehensive Experimental Zone"),
    ("新区", "New Area"), ("林区", "Forestry District"), ("地区", "Prefecture"), ("省", "Province"),
    ("市", "City"), ("区", "District"), ("县", "County"), ("旗", "Banner"), ("盟", "League"),
    ("镇", "Town"), ("乡", "Township"), ("街道", "Subdistrict"),
)
# Names whose English form is customary rather than plain pinyin (the suffix follows as usual).
CUSTOM = {"陕西": "Shaanxi", "内蒙古": "Inner Mongolia", "西藏": "Tibet", "香港": "Hong Kong", "澳门": "Macao",
          "呼和浩特": "Hohhot", "乌鲁木齐": "Urumqi", "拉萨": "Lhasa", "朝阳": "Chaoyang", "全国": "China"}
_LEVEL = re.compile("|".join(re.escape(z) for z, _ in SUFFIXES))
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _pinyin(stem: str) -> str:
    if stem in CUSTOM:
        return CUSTOM[stem]
    out = ""
    for syl in lazy_pinyin(stem, errors="default"):
        if out and syl[:1] in "aoe" and out[-1:].isalpha():
            out += "'"
        out += syl
    return out[:1].upper() + out[1:]


def _split(name: str) -> list[tuple[str, str]]:
    """The levels of a name: (stem, English suffix), the largest first. A stem is at least two
    characters (市中区, 新区 inside a name are read as whole names, not as a suffix alone)."""
    parts: list[tuple[str, str]] = []
    rest = name
    while rest:
        cut = None
        for m in _LEVEL.finditer(rest):
            if m.start() >= 2 or (m.start() >= 1 and m.group() in ("省", "市", "县", "区", "旗", "盟")
                                  and m.end() == len(rest)):
                cut = m
                break
        if cut is None:
            parts.append((rest, ""))
            break
        parts.append((rest[:cut.start()], dict(SUFFIXES)[cut.group()]))
        rest = rest[cut.end():]
    return parts


@lru_cache(maxsize=100_000)
def region_en(name: str) -> str:
    """The English form of a Chinese region name (a name without Chinese characters unchanged)."""
    if not name or not _HAN.search(name):
        return name
    levels = [f"{_pinyin(stem)} {suffix}".strip() for stem, suffix in _split(name.strip())]
    # a municipality's city and district levels are both "市…区": no repeated city name
    return ", ".join(dict.fromkeys(reversed(levels)))


def region_name(name: object, lang: str) -> str:
    """A region's name as shown in `lang` (the Chinese name for zh)."""
    text = "" if name is None else str(name)
    return region_en(text) if lang == "en" else text
