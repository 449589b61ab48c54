"""Who reports, for which area and year, and the figures the prose states."""

from __future__ import annotations

import re
import sys
import types
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..model import ProseFigure
from ..model.datafile import read_toml
from .normalize import squash
from .prose import prose_text as _prose_text
from .readers.base import Line
from .template import Template
from .title import TITLE_RE as _TITLE_RE
from .title import YEAR as _YEAR
from .title import title_text

_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")
_PERIOD_RE = re.compile(rf"(?:统计期限|统计时限|统计期|数据统计)[^。]{{0,12}}?{_YEAR}年")
_ADDRESS_RE = re.compile(r"地址[:：]([^,，;；)）。]+)")
_CONTACT_RE = re.compile(r"请与(.{2,30}?)联系")
_REPORTER_RE = re.compile(r"本报告由(.{2,30}?)(?:根据|依据|按照|编制)")


def cn_year(text: str) -> int:
    """"2024" -> 2024, "二〇二四" -> 2024 (years are read digit by digit)."""
    return int(text.translate(_CN_DIGITS))


@dataclass(frozen=True)
class Identity:
    agency: str
    year: int | None
    region: str
    region_code: str


def is_annual_report(lines: list[Line]) -> bool:
    head = "".join(squash(ln.text) for ln in lines[:40])
    return ("年度报告" in head or "年报" in head) and ("政府信息公开" in head or "政务公开" in head)


def _year(title: str, text: str) -> int | None:
    for rx, src in ((_TITLE_RE, title), (_PERIOD_RE, text)):
        m = rx.search(src)
        if m:
            g = next(x for x in m.groups() if x and re.fullmatch(_YEAR, x))
            return cn_year(g)
    return None


def _agency(title: str, text: str) -> str:
    m = _TITLE_RE.match(title)
    if m:
        name = (m.group("pre") or m.group("post")).strip("：:，,关于的 ")
        if name.startswith("关于"):
            name = name[2:]
        if name:
            return name
    for rx in (_REPORTER_RE, _CONTACT_RE):
        m = rx.search(text)
        if m:
            return m.group(1)
    return ""


@lru_cache(maxsize=1)
def _cpca():  # type: ignore[no-untyped-def]
    """cpca, imported lazily: it loads its place-name tables (about 0.1 s). It reads them through
    setuptools' pkg_resources, which costs another 0.1 s to import and which newer setuptools
    drop: a stand-in giving the one function it uses (through importlib.resources) is lent to it."""
    shim = None
    if "pkg_resources" not in sys.modules:
        shim = types.ModuleType("pkg_resources")
        shim.resource_stream = lambda pkg, name: resources.files(pkg).joinpath(name).open("rb")  # type: ignore[attr-defined]
        sys.modules["pkg_resources"] = shim
    try:
        import cpca
    finally:
        if shim is not None and sys.modules.get("pkg_resources") is shim:
            del sys.modules["pkg_resources"]
    return cpca


def _places(texts: list[str]) -> list[tuple[str, str, str, str]]:
    # cpca.transform's rows, without the DataFrame it puts them in: a parse needs no pandas (0.3 s
    # less to start a parser). cpca is pinned below 0.6 in requirements.txt.
    cp = _cpca()
    out: list[tuple[str, str, str, str]] = []
    for t in texts:
        r = cp._get_one_addr(t, False, {})
        p, c, d, code = ("" if v is None or v != v else str(v) for v in (r.get("省"), r.get("市"), r.get("区"),
                                                                         r.get("adcode")))
        if c in ("县", "市辖区") and not d:
            p = c = code = ""      # only the word 县 matched (e.g. a misprinted county name): no place
        out.append((p, c, d, code))
    return out


@lru_cache(maxsize=1)
def _special_places() -> tuple[tuple[str, str, str], ...]:
    places = read_toml("gkcore.parse.templates", "places.toml")["places"]
    return tuple((p["name"], p["region"], p["code"]) for p in places)


def _region(agency: str, address: str) -> tuple[str, str]:
    """The area the agency serves, from its own name first; the address only fills in what
    the name leaves open (a county bureau named without its county, a district name that
    exists in several cities)."""
    for name, region, code in _special_places():
        if name in agency or name in address:
            return region, code
    texts = [agency or "-", address or "-"]
    (ap, ac, ad, acode), (bp, bc, bd, bcode) = _places(texts)
    if acode and ad and bc and ac and bc != ac:
        (p, c, d, code), = _places([bp + bc + ad])
        if d == ad and code:
            ap, ac, acode = p, c, code
    if not acode and bcode:
        ap, ac, ad, acode = bp, bc, bd, bcode
    if not acode:
        return "", ""
    # municipalities: cpca names their city level 市辖区 or 县, which no one prints
    parts = [ap] + ([ac] if ac and ac not in (ap, "市辖区", "县") else []) + ([ad] if ad else [])
    return "".join(parts), acode


def identity(lines: list[Line]) -> Identity:
    title = title_text(lines)
    head = "".join(squash(ln.text) for ln in lines[:30])
    agency = _agency(title, head)
    m = _ADDRESS_RE.search(head)
    region, code = _region(agency, m.group(1) if m else "")
    return Identity(agency, _year(title, head), region, code)


def prose_figures(lines: list[Line], template: Template, skip: set[int]) -> list[ProseFigure]:
    """Figures stated in the prose (lines outside the table sections)."""
    text, pages = _prose_text(lines, skip)
    out = []
    for pat in template.prose:
        for rx in pat.patterns:
            m = rx.search(text)
            if m:
                a, b = max(0, m.start() - 12), min(len(text), m.end() + 12)
                page = pages[m.start(1)] if pages else None
                out.append(ProseFigure(pat.code, pat.label, int(m.group(1)), text[a:b], page))
                break
    return out
