"""Shared by the PDF generators of classes 1-3 (unruled, sparse, pagecut): a random document spec drawn
from a seed, printed cell texts in many blank styles, and layout + rendering + truth through the layout
engine of tests/fixtures/make_generated.py (whose helpers are reused, not copied)."""

from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from tests.fixtures import make_generated as mg

# TrueType CJK fonts (reportlab cannot embed the CFF outlines of Noto CJK): fonts-wqy-zenhei,
# fonts-wqy-microhei, fonts-arphic-uming, fonts-arphic-ukai (see .ci/run)
FONTS = [("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0), ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
         ("/usr/share/fonts/truetype/arphic/uming.ttc", 0), ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0)]
FULL = str.maketrans("0123456789", "０１２３４５６７８９")
Spec = dict[str, Any]


def fonts() -> list[tuple[str, int]]:
    have = [f for f in FONTS if Path(f[0]).exists()]
    if not have:
        raise RuntimeError("no CJK TrueType font: apt-get install fonts-wqy-zenhei (see .ci/run)")
    return have


@contextmanager
def font(rng: random.Random):
    """Draw with a font drawn from rng while the block runs (make_generated reads its global F)."""
    path, idx = rng.choice(fonts())
    name = f"UG-{Path(path).stem}-{idx}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=idx))
    old, mg.F = mg.F, name
    try:
        yield Path(path).stem
    finally:
        mg.F = old


def base_spec(cls: str, seed: int, rng: random.Random, feat: list[str]) -> Spec:
    """A document: agency and contact (from the verified fixtures), template and year, fonts, sizes, margins,
    title and footer styles, label and value column widths, where the values sit in a wrapped row."""
    src = rng.choice(mg.DOCS)
    addr, post, tel = src["addr"], src["post"], src["tel"]
    tpl = "2019" if rng.random() < 0.25 else "2021"
    year = rng.choice([2019, 2020]) if tpl == "2019" else rng.randint(2021, 2025)
    body = rng.choice([10.5, 12, 12, 14, 15])
    tsize = rng.choice([7.5, 8, 9, 9, 10, 10.5, 11])
    spec: Spec = dict(
        name=f"{cls}-{seed}", tpl=tpl, year=year, agency=src["agency"], region=src["region"], code=src["code"],
        addr=addr, post=post, tel=tel, seed=seed, feat=list(feat), body=body, tsize=tsize,
        leading=rng.choice([1.4, 1.5, 1.6, 1.75, 1.9]),
        margins=tuple(rng.randint(45, 100) for _ in range(4)),
        title=rng.choice(["two", "two", "one", "yearfirst"]),
        pagenum=rng.choice(["- {n} -", "— {n} —", "第{n}页 共{N}页", "{n}/{N}", None]),
        justify=rng.random() < 0.7, prose=rng.randint(1, 3), extra=rng.randint(0, 3),
        t3_c1=rng.uniform(2.2, 7.0), t3_c2=rng.uniform(6.0, 14.0),
        valign=rng.choice(["c", "top", "bottom"]), rules_t3="none",
        rules_t2=rng.choice(["none", "none", "horiz"]), rules_t4=rng.choice(["none", "none", "horiz"]),
        repeat_header=rng.random() < 0.5, spacer_at=rng.choice(["二", "三"]), spacer=rng.randint(0, 500),
        other_total=tpl == "2021" and rng.random() < 0.1)
    spec["feat"] += [f"font size body {body} table {tsize}",
                     f"label columns {spec['t3_c1']:.1f}/{spec['t3_c2']:.1f} em",
                     f"values sit at the {spec['valign']} of their row"]
    return spec


def blank_style(rng: random.Random) -> dict[str, Any]:
    """How a document prints zero and numbers: the usual filler for zero, how often a row or cell differs,
    how often a number is in full-width digits."""
    return dict(zero=rng.choice(["0", "0", "", "—", "/", "０"]), row_odd=rng.choice([0.0, 0.1, 0.3]),
                cell_odd=rng.choice([0.0, 0.05, 0.12]), full=rng.choice([0.0, 0.0, 0.1, 0.3, 1.0]))


def printed(values: dict[tuple[str, str, str], int], rng: random.Random, style: dict[str, Any],
            empty_cols: frozenset[str] = frozenset()) -> dict[tuple[str, str, str], str]:
    """The text printed in each cell; a zero in 表三/表四 takes the document's filler (or a row's own, or an odd
    one out); columns in `empty_cols` (表三 column codes) are blank all the way down."""
    fillers = ["0", "", "—", "/", "０"]
    raw, row_fill = {}, {}
    for k, x in values.items():
        s = str(x)
        if k[0] != "t2" and x == 0:
            f = row_fill.setdefault(k[:2], rng.choice(fillers) if rng.random() < style["row_odd"] else style["zero"])
            s = rng.choice(fillers) if rng.random() < style["cell_odd"] else f
        elif x != 0 and rng.random() < style["full"]:
            s = s.translate(FULL)
        if k[0] == "t3" and k[2] in empty_cols:
            s = ""
        raw[k] = s
    return raw


def content(spec: Spec, rng: random.Random, raw: dict[tuple[str, str, str], str]) -> dict[str, Any]:
    val = {k: mg.number(s) for k, s in raw.items()}
    return dict(raw=raw, val=val, **mg.prose(spec, val, rng))


def write(spec: Spec, c: dict[str, Any], out: Path, want: Callable[[Any], bool] | None = None,
          search: tuple[str, list[Any]] | None = None) -> Path:
    """Lay out (trying the values of `search` until `want` holds, if given), render, write the truth."""
    layout = None
    key, tries = search or ("spacer", [spec.get("spacer", 0)])
    for x in tries:
        L = mg.build(dict(spec, **{key: x}), c)
        if want is None or want(L):
            layout, spec = L, dict(spec, **{key: x})
            break
    if layout is None:
        raise RuntimeError(f"{spec['name']}: no {key} gives the layout wanted")
    path = out / f"{spec['name']}.pdf"
    mg.render(layout, spec, path)
    mg.write_truth(out / f"{spec['name']}.truth.json", mg.truth(spec, c, layout))
    return path
