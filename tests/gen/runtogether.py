"""Class 6, run-together web-page text: a report copied from a government website as plain text,
as in the real 平潭 reports (tests/fixtures/real/fujian-pingtan_*.txt): the page's header fields
(标题, 发布时间, 发布机构, 原文链接), then the whole body on one line, every table's cells run
together after their labels ("行政规范性文件77132470", "（七）总计801000081").

Varied from the seed: template, figures, whether the header and the title in the body are there,
blanks between label and digits, how each row's cells are joined (run together; separated by
blanks; some separated), rows printed space-separated with one blank cell left out (a blank 总计,
or a zero printed as blank) or with every zero left blank ("17 1 18"), prose in section 一 stating
the totals and, sometimes, the applicant and outcome breakdown (as 平潭 does: "涉及自然人80件、
商业企业1件 … 不予公开5件")."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from tests.fixtures import make_generated as mg

from . import _report as R

CLASS = "runtogether"
Key = tuple[str, str, str]


def joined(cells: list[str], style: str, rng: random.Random) -> str:
    """A row's printed cells: run together, separated by blanks, or some of each."""
    cells = [x for x in cells if x != ""]          # a blank cell leaves nothing in the text
    if style == "spaced":
        return " ".join(cells)
    if style == "some":
        return "".join(x + (" " if rng.random() < 0.4 else "") for x in cells).strip()
    return "".join(cells)


def blank_one(spec: dict[str, Any], c: dict[str, Any], rng: random.Random, feats: list[str]) -> dict[str, str]:
    """One or two 表三 outcome rows printed space-separated with one cell left blank (its 总计, or a
    zero): the truth of that cell becomes blank. Returns row code -> style."""
    outcomes = [r[0] for r in mg.t3_rows(spec)][2:-2]
    styles = {}
    for code in rng.sample(outcomes, rng.randint(1, 2)):
        total = c["val"][("t3", code, "total")]
        zeros = [col for col in mg.T3_COLS[:6] if c["val"][("t3", code, col)] == 0]
        col = "total" if total and (rng.random() < 0.6 or not zeros) else (rng.choice(zeros) if zeros else None)
        if col is None or (col == "total" and not total):
            continue
        c["raw"][("t3", code, col)], c["val"][("t3", code, col)] = "", None
        styles[code] = "spaced"
        feats.append(f"t3 {code}: space-separated, {col} blank")
    return styles


def blank_zeros(spec: dict[str, Any], c: dict[str, Any], rng: random.Random, feats: list[str],
                taken: set[str]) -> dict[str, int]:
    """One or two 表三 outcome rows whose zeros are left blank, as many web tables leave them, printed
    space-separated: "17 1 18" for 17 1 0 0 0 0 18 (the truth of those cells becomes blank). Rows of
    `taken` are left alone. Returns row code -> how many cells the row printed before."""
    outcomes = [r[0] for r in mg.t3_rows(spec)][2:-2]
    rows = [code for code in outcomes if code not in taken and c["val"][("t3", code, "total")]
            and any(c["val"][("t3", code, col)] == 0 for col in mg.T3_COLS[:6])]
    out = {}
    for code in rng.sample(rows, min(len(rows), rng.randint(1, 2))):
        out[code] = sum(c["raw"][("t3", code, col)] != "" for col in mg.T3_COLS)
        zeros = [col for col in mg.T3_COLS[:6] if c["val"][("t3", code, col)] == 0]
        for col in zeros:
            c["raw"][("t3", code, col)], c["val"][("t3", code, col)] = "", None
        feats.append(f"t3 {code}: space-separated, {len(zeros)} zeros blank")
    return out


def table_text(spec: dict[str, Any], raw: dict[Key, str], rng: random.Random, styles: dict[str, str],
               printed: dict[str, str], zeros_blank: dict[str, int] | None = None) -> dict[str, str]:
    """Each section's table as text; `printed` gets each row's cells as printed ("t3.granted" -> "22 1 0 0 0 0 23",
    "t4.all" for 表四's one row), for the truth. Rows of `zeros_blank` (see blank_zeros) are space-separated."""
    pad = rng.choice(["", "", " "])

    def row(label: str, cells: list[str], code: str, table: str) -> str:
        style = styles.get(code) or rng.choice(["run"] * 7 + ["spaced", "some"])
        if table == "t3" and zeros_blank and code in zeros_blank:
            # draw as the row printed in full would, so that every other row comes out as it did
            for _ in range(zeros_blank[code] if style == "some" else 0):
                rng.random()
            style = "spaced"
        printed[f"{table}.{code}"] = joined(cells, style, rng)
        return label + pad + printed[f"{table}.{code}"]

    t2 = ""
    for head, chead, cols, items in mg.T2[spec["tpl"]]:
        t2 += head + "信息内容" + "".join(chead)
        t2 += "".join(row(label, [raw[("t2", code, col)] for col in cols], code, "t2") for code, label in items)
    t3 = mg.T3_NOTE + "申请人情况自然人法人或其他组织总计" + "".join(mg.T3_HEAD[1:6])
    group = None
    for i, (code, grp, label) in enumerate(mg.t3_rows(spec)):
        lead = "三、本年度办理结果" if i == 2 else ""
        if grp and grp != group:
            lead += grp
        group = grp
        t3 += lead + row(label, [raw[("t3", code, col)] for col in mg.T3_COLS], code, "t3")
    t4 = "行政复议行政诉讼" + "".join(mg.T4_HEAD) + "未经复议直接起诉复议后起诉" + "".join(mg.T4_HEAD * 2)
    t4 += row("", [raw[("t4", r, col)] for r in mg.T4_ROWS for col in mg.T4_COLS], "all", "t4")
    return {"二": t2, "三": t3, "四": t4}


def breakdown(spec: dict[str, Any], val: dict[Key, Any], figs: list[dict[str, Any]]) -> str:
    """平潭's sentence: applicants by type and outcomes by group, from the table's figures (each one stated
    appended to `figs`, with the cells it adds up)."""
    def g(row: str, col: str = "total") -> int:
        return val.get(("t3", row, col)) or 0

    def total(cells: list[str]) -> int:
        return sum(g(*ref.split(".")[1:]) for ref in cells)

    def said(name: str, cells: list[str]) -> str:
        figs.append(dict(text=f"{name}{total(cells)}件", value=total(cells), cells="+".join(cells)))
        return f"{name}{total(cells)}件"

    heads = zip(mg.T3_HEAD[:6], mg.T3_COLS[:6], strict=True)
    who = "、".join(said(name, [f"t3.new_received.{col}"]) for name, col in heads if g("new_received", col))
    rows = mg.t3_rows(spec)
    groups = [(grp[3:], [f"t3.{r[0]}.total" for r in rows if r[1] == grp]) for grp in (mg.G3, mg.G4, mg.G5)]
    other = ["t3.other_total.total"] if spec["tpl"] == "2019" else [f"t3.{r[0]}.total" for r in rows if r[1] == mg.G6]
    parts = [said("予以公开及部分公开", ["t3.granted.total", "t3.partial.total"])]
    parts += [said(name, refs) for name, refs in groups] + [said("其他处理", other)]
    return f"涉及{who}。其中：" + "；".join(parts) + "。"


def t2_sentence(spec: dict[str, Any], val: dict[Key, Any], rng: random.Random, figs: list[dict[str, Any]]) -> str:
    """Some of 表二's figures stated in the prose, as reports do ("制发的规范性文件77件"); each one stated
    appended to `figs`."""
    first = "issued" if spec["tpl"] == "2021" else "made"
    refs = [("本年度制发规范性文件", "normative_docs", first), ("制发规章", "rules", first)]
    if spec["tpl"] == "2021":
        refs += [("废止规范性文件", "normative_docs", "repealed"), ("现行有效规范性文件", "normative_docs", "in_force")]
    refs += [(f"作出{name}决定", row, "decisions") for row, name in
             (("licensing", "行政许可"), ("punishment", "行政处罚"), ("enforcement", "行政强制"))]
    parts = [(f"{text}{val[('t2', row, col)]}件", row, col) for text, row, col in refs]
    chosen = rng.sample(parts, rng.randint(1, len(parts)))
    figs += [dict(text=text, value=val[("t2", row, col)], cells=f"t2.{row}.{col}") for text, row, col in chosen]
    return "，".join(text for text, _, _ in chosen) + "。"


def make(seed: int, out: Path) -> Path:
    rng = R.seeded(seed, CLASS)
    spec = R.spec_for(rng)
    c = R.content(spec)
    feats: list[str] = []
    styles = blank_one(spec, c, rng, feats) if rng.random() < 0.6 else {}
    zeros = R.seeded(seed, CLASS + ":zeros")        # a stream of its own: the other documents stay as they were
    zeros_blank = blank_zeros(spec, c, zeros, feats, set(styles)) if zeros.random() < 0.4 else {}
    printed: dict[str, str] = {}
    tables = table_text(spec, c["raw"], rng, styles, printed, zeros_blank)
    figs = [dict(f, cells="t4.suit_direct.total+t4.suit_after_review.total") if "行政诉讼" in f["text"]
            and "table" not in f else f for f in c["figs"]]
    ag, y = spec["agency"], spec["year"]
    title = f"{ag}{y}年{rng.choice(['', '度'])}政府信息公开工作年度报告"
    paras = list(c["paras"])
    if rng.random() < 0.5:
        paras[0] += breakdown(spec, c["val"], figs)
        feats.append("section 一 states the applicant and outcome breakdown")
    if rng.random() < 0.5:
        paras[0] += t2_sentence(spec, c["val"], rng, figs)
        feats.append("section 一 states some of 表二's figures")
    sep = rng.choice(["", " "])
    header = rng.random() < 0.8              # the page's header fields, 标题 among them
    body = [title] if rng.random() < 0.6 or not header else []
    body.append(c["intro"])
    for key, head in mg.SECTIONS:
        head = head.replace("五、", "五、政府信息公开工作") if spec["tpl"] == "2019" else head
        body.append(head + tables.get(key, ""))
        body += {"一": paras, "五": c["five"], "六": c["six"]}.get(key, [])
    text = sep.join(body)
    if header:
        office = rng.choice(["", ag, ag[:3] + "人民政府办公室", "政务公开办公室"])
        site = rng.choice(["www.shuyang.gov.cn", "www.pingtan.gov.cn", "www.xihu.gov.cn"])
        text = (f"标题: {title}\n发布时间: {y + 1}-03-0{rng.randint(1, 9)} 15:34\n文号: \n发布机构: {office}\n"
                f"栏目: 政府信息公开年报\n原文链接: https://{site}/zwgk/zfxxgk/zfxxgknb/{y + 1}03/t{y + 1}0308_8788"
                f"{rng.randint(0, 9)}.htm\n页面链接与图片详见 links.tsv(同目录)\n==================== 正文 "
                f"====================\n{text}")
        feats.append("page header fields (标题, 发布机构, 原文链接)")
    doc = out / f"{CLASS}-{seed}.txt"
    doc.write_text(text, "utf-8")
    truth = R.truth(spec, c, None, ["run-together web-page text", *feats])
    # what the page printed of each row and every figure its prose states, with the cells it adds up (`cells`,
    # "t3.granted.total+t3.partial.total"):
    # tests/gen/_ambiguity.py proves from them that a cell left unsure reads another way under every rule
    R.write_truth(doc, dict(truth, prose_figures=figs, printed_rows=printed))
    return doc
