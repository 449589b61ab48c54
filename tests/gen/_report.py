"""What the generators of classes 4-6 (webprint, scan, runtogether) share: a report's content drawn
from a seed (agency, figures as printed, prose) with the figure and prose generators of
tests/fixtures/make_generated.py, the report as an HTML page, and its truth.

Private to tests/gen (the leading underscore keeps the registry from taking it for a generator)."""

from __future__ import annotations

import html
import json
import random
import re
import unicodedata
from pathlib import Path
from typing import Any

from tests.fixtures import make_generated as mg

# (name prefix, region, region code, address, postcode, phone): the prefix names the area the agency serves
PLACES = [
    ("沭阳县", "江苏省宿迁市沭阳县", "321322", "江苏省宿迁市沭阳县人民中路8号", "223600", "0527-83588001"),
    ("杭州市西湖区", "浙江省杭州市西湖区", "330106", "杭州市西湖区文三路138号", "310012", "0571-87029001"),
    ("成都市武侯区", "四川省成都市武侯区", "510107", "四川省成都市武侯区武侯祠大街264号", "610041", "028-85096001"),
    ("深圳市南山区", "广东省深圳市南山区", "440305", "广东省深圳市南山区桃园路2号", "518052", "0755-26619001"),
    ("郑州市金水区", "河南省郑州市金水区", "410105", "郑州市金水区顺河路18号", "450003", "0371-65950001"),
    ("武汉市洪山区", "湖北省武汉市洪山区", "420111", "湖北省武汉市洪山区珞喻路456号", "430070", "027-87881001"),
    ("青岛市黄岛区", "山东省青岛市黄岛区", "370211", "山东省青岛市黄岛区长江中路216号", "266555", "0532-86989001"),
    ("合肥市蜀山区", "安徽省合肥市蜀山区", "340104", "安徽省合肥市蜀山区潜山路888号", "230031", "0551-65311001"),
    ("长沙市岳麓区", "湖南省长沙市岳麓区", "430104", "湖南省长沙市岳麓区金星中路268号", "410013", "0731-88999001"),
    ("北京市朝阳区", "北京市朝阳区", "110105", "北京市朝阳区日坛北路33号", "100020", "010-65094001"),
    ("厦门市思明区", "福建省厦门市思明区", "350203", "福建省厦门市思明区湖滨北路68号", "361003", "0592-2203001"),
    ("西安市雁塔区", "陕西省西安市雁塔区", "610113", "陕西省西安市雁塔区小寨东路18号", "710061", "029-85521001"),
    ("石家庄市长安区", "河北省石家庄市长安区", "130102", "河北省石家庄市长安区中山东路209号", "050011",
     "0311-86041001"),
]
DEPARTMENTS = ["人民政府办公室", "人民政府", "教育局", "发展和改革委员会", "卫生健康委员会", "民政局", "财政局",
               "人力资源和社会保障局", "住房和城乡建设局", "市场监督管理局", "人民政府办公室"]
# Kangxi radicals (U+2F00-) that NFKC maps to the ideograph, and CJK radical supplement forms (U+2E80-) that
# some web fonts and CMSs put in their place although NFKC leaves them alone.
KANGXI = {unicodedata.normalize("NFKC", chr(cp)): chr(cp) for cp in range(0x2F00, 0x2FD6)}
KANGXI.update({"民": "⺠", "长": "⻓", "门": "⻔", "马": "⻢", "见": "⻅", "页": "⻚", "风": "⻛", "龙": "⻰",
               "齐": "⻬", "青": "⻘", "黄": "⻩", "母": "⺟", "鱼": "⻥"})


def seeded(seed: int, salt: str) -> random.Random:
    return random.Random(f"{salt}:{seed}")


def spec_for(rng: random.Random, **extra: Any) -> dict[str, Any]:
    """A make_generated document spec with an agency, year and template drawn from rng."""
    prefix, region, code, addr, post, tel = rng.choice(PLACES)
    tpl = rng.choice(["2021", "2021", "2021", "2019"])
    year = rng.choice([2019, 2020]) if tpl == "2019" else rng.randint(2021, 2025)
    return dict(name="x", tpl=tpl, year=year, agency=prefix + rng.choice(DEPARTMENTS), region=region, code=code,
                addr=addr, post=post, tel=tel, seed=rng.randint(0, 10**9), feat=[], prose=rng.choice([1, 2, 3]),
                extra=rng.randint(0, 2), numspace=rng.random() < 0.3, **extra)


def content(spec: dict[str, Any]) -> dict[str, Any]:
    """Figures as printed (raw), their values, and the prose (make_generated.content)."""
    return mg.content(spec)


def cell_order(spec: dict[str, Any]) -> list[tuple[str, str, str]]:
    order = [("t2", r, col) for _, _, cols, items in mg.T2[spec["tpl"]] for r, _ in items for col in cols]
    order += [("t3", r[0], col) for r in mg.t3_rows(spec) for col in mg.T3_COLS]
    return order + [("t4", r, c) for r in mg.T4_ROWS for c in mg.T4_COLS]


def truth(spec: dict[str, Any], c: dict[str, Any], pages: int | None, features: list[str]) -> dict[str, Any]:
    cells = [dict(table=k[0], row=k[1], col=k[2], raw=c["raw"][k], value=c["val"][k]) for k in cell_order(spec)]
    return dict(agency=spec["agency"], region=spec["region"], region_code=spec["code"], year=spec["year"],
                template=spec["tpl"], pages=pages, cells=cells,
                failing_rules=mg.failing_rules(c["val"], mg.t3_rows(spec)),
                features=[f"template {spec['tpl']}", *features], prose_figures=c["figs"],
                consistency_note="rules evaluated on `value`, cells without a number counting as 0")


def write_truth(doc: Path, t: dict[str, Any]) -> Path:
    """`<stem>.truth.json` beside doc, in the house style (one line per cell, rule and figure)."""
    text = json.dumps(t, ensure_ascii=False, indent=1)
    text = re.sub(r"\{\n\s+([^{}\[\]]*?)\n\s*\}", lambda m: "{" + re.sub(r"\n\s*", " ", m.group(1)) + "}", text)
    path = doc.with_name(doc.stem + ".truth.json")
    path.write_text(text + "\n", "utf-8")
    return path


def kangxi(text: str, rng: random.Random, share: float) -> str:
    """Some characters of text replaced by their Kangxi-radical or radical-supplement look-alikes."""
    return "".join(KANGXI[ch] if ch in KANGXI and rng.random() < share else ch for ch in text)


def blank_style(spec: dict[str, Any], rng: random.Random) -> None:
    """How zeros are printed: all 0, blank cells, or a mix of blank, "/", "—" and 0 (spec["cells"])."""
    spec["cells"] = rng.choice(["plain", "blank0", "mixed", "mixed"])


# ---------------------------------------------------------------------------------------------------------------
# The report as an HTML page (tables with spans, as the template prints them)
def _td(text: str, rs: int = 1, cs: int = 1, cls: str = "") -> str:
    span = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
    return f"<td{span}{f' class={chr(34)}{cls}{chr(34)}' if cls else ''}>{html.escape(text) or '&nbsp;'}</td>"


def t2_html(spec: dict[str, Any], raw: dict[tuple[str, str, str], str]) -> str:
    out = []
    for head, chead, cols, items in mg.T2[spec["tpl"]]:
        spans = {1: [3], 2: [1, 2], 3: [1, 1, 1]}[len(cols)]
        out.append(f"<tr>{_td(head, cs=4, cls='h')}</tr>")
        heads = "".join(_td(t, cs=s, cls="h") for t, s in zip(chead, spans, strict=True))
        out.append("<tr>" + _td("信息内容", cls="h") + heads + "</tr>")
        for code, label in items:
            out.append("<tr>" + _td(label, cls="l") + "".join(_td(raw[("t2", code, col)], cs=s, cls="n")
                                                              for col, s in zip(cols, spans, strict=True)) + "</tr>")
    return "<table class='t2'>" + "".join(out) + "</table>"


def t3_html(spec: dict[str, Any], raw: dict[tuple[str, str, str], str]) -> str:
    rows = mg.t3_rows(spec)
    out = ["<tr>" + _td(mg.T3_NOTE, rs=3, cs=3, cls="h") + _td("申请人情况", cs=7, cls="h") + "</tr>",
           "<tr>" + _td("自然人", rs=2, cls="h") + _td("法人或其他组织", cs=5, cls="h") + _td("总计", rs=2, cls="h")
           + "</tr>", "<tr>" + "".join(_td(t, cls="h") for t in mg.T3_HEAD[1:6]) + "</tr>"]
    for i, (code, group, label) in enumerate(rows):
        lead = ""
        if i == 2:
            lead = _td("三、本年度办理结果", rs=len(rows) - 3, cls="v")
        if group is None:
            lead += _td(label, cs=3, cls="l")
        elif group == "":
            lead += _td(label, cs=2, cls="l")
        else:
            if rows[i - 1][1] != group:
                lead += _td(group, rs=sum(1 for x in rows if x[1] == group), cls="l")
            lead += _td(label, cls="l")
        out.append("<tr>" + lead + "".join(_td(raw[("t3", code, c)], cls="n") for c in mg.T3_COLS) + "</tr>")
    return "<table class='t3'>" + "".join(out) + "</table>"


def t4_html(raw: dict[tuple[str, str, str], str]) -> str:
    out = ["<tr>" + _td("行政复议", cs=5, rs=2, cls="h") + _td("行政诉讼", cs=10, cls="h") + "</tr>",
           "<tr>" + _td("未经复议直接起诉", cs=5, cls="h") + _td("复议后起诉", cs=5, cls="h") + "</tr>",
           "<tr>" + "".join(_td(t, cls="h") for t in mg.T4_HEAD * 3) + "</tr>",
           "<tr>" + "".join(_td(raw[("t4", r, c)], cls="n") for r in mg.T4_ROWS for c in mg.T4_COLS) + "</tr>"]
    return "<table class='t4'>" + "".join(out) + "</table>"


def body_html(spec: dict[str, Any], c: dict[str, Any], title: list[str], breaks: set[str]) -> str:
    """The report's body: title lines, the intro, the six sections with their tables and prose; a page
    break before each section named in `breaks`."""
    parts = [f"<h1>{'<br>'.join(html.escape(t) for t in title)}</h1>", f"<p>{html.escape(c['intro'])}</p>"]
    for key, head in mg.SECTIONS:
        head = head.replace("五、", "五、政府信息公开工作") if spec["tpl"] == "2019" else head
        brk = " style='page-break-before:always'" if key in breaks else ""
        parts.append(f"<h2{brk}>{html.escape(head)}</h2>")
        if key == "二":
            parts.append(t2_html(spec, c["raw"]))
        elif key == "三":
            parts.append(t3_html(spec, c["raw"]))
        elif key == "四":
            parts.append(t4_html(c["raw"]))
        parts += [f"<p>{html.escape(p)}</p>" for p in {"一": c["paras"], "五": c["five"], "六": c["six"]}.get(key, [])]
    return "\n".join(parts)


FONTS = ["Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "SimSun, Noto Serif CJK SC",
         "Microsoft YaHei, Noto Sans CJK SC"]


def css(rng: random.Random, borders: str | None = None) -> tuple[str, list[str]]:
    """A style sheet drawn from rng, and what it chose (for the features list)."""
    font, size = rng.choice(FONTS), rng.choice([12, 13, 14, 15, 16])
    tsize = rng.choice([10, 11, 12, 13])
    width = rng.choice(["100%", "96%", "90%", "auto"])
    borders = borders or rng.choice(["full", "full", "horiz", "none"])
    rule = {"full": "td{border:1px solid #333}", "horiz": "td{border-top:1px solid #444;border-bottom:1px solid #444}",
            "none": "td{border:none}"}[borders]
    margin = rng.choice([0, 8, 20, 40])
    sheet = (f"body{{font-family:{font};font-size:{size}px;margin:{margin}px}} h1{{text-align:center;font-size:"
             f"{rng.choice([20, 22, 26])}px}} h2{{font-size:{size + 1}px}} p{{text-indent:2em;line-height:"
             f"{rng.choice([1.5, 1.8, 2.0])}}} table{{border-collapse:collapse;width:{width};font-size:{tsize}px;"
             f"margin:6px auto}} {rule} td{{padding:{rng.choice([1, 2, 4])}px {rng.choice([2, 4])}px}} "
             f"td.n{{text-align:{rng.choice(['center', 'right'])}}} td.v{{writing-mode:vertical-rl;width:1.5em}} "
             f"tr{{page-break-inside:avoid}}")
    return sheet, [f"font {font} {size}px, tables {tsize}px width {width}", f"borders: {borders}",
                   f"page margin {margin}px"]
