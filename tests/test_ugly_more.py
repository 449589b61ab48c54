"""Issue 10, classes 4-6: printed web pages (Chromium's header and footer on every page), scans
and run-together web-page text. Fixed-seed documents of tests/gen (webprint.py, scan.py,
runtogether.py) are committed in tests/fixtures/ugly/ with their truth; regenerate them with

    .venv/bin/python tests/test_ugly_more.py          (needs /usr/bin/chromium)

Each document must give every template cell right, or flagged unsure with the printed text among
the readings its note lists when it lists any; no cell may be wrong without a flag; the agency,
year and region are those of the document's own title, never of the page furniture.
(tests/test_ugly.py holds every document of the folder to its rules as well.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import gkcore
from gkcore.model import FLAG_UNSURE
from gkcore.model.notes import parse_note

HERE = Path(__file__).resolve().parent

UGLY = HERE / "fixtures" / "ugly"
DOCS = sorted(p for cls in ("webprint", "scan", "runtogether") for p in UGLY.glob(f"{cls}-*")
              if not p.name.endswith(".truth.json"))


def _truth(doc: Path) -> dict:  # type: ignore[type-arg]
    import json

    return json.loads(doc.with_name(doc.stem + ".truth.json").read_text(encoding="utf-8"))


def readings(note: str) -> list[str]:
    """The readings an unsure cell's note lists ("" for a blank cell; notes are codes: model/notes.py)."""
    got = parse_note(note)
    return [str(r) for r in got[1].get("readings", [])] if got and isinstance(got[1].get("readings"), list) else []


SILENT_YET: set[str] = set()


@pytest.fixture(scope="module", params=DOCS, ids=lambda p: p.name)
def parsed(request: pytest.FixtureRequest) -> tuple[Path, dict, gkcore.ParsedReport]:  # type: ignore[type-arg]
    doc = request.param
    return doc, _truth(doc), gkcore.parse_file(doc)


def test_every_cell_right_or_flagged_with_its_reading(parsed) -> None:  # type: ignore[no-untyped-def]
    doc, truth, report = parsed
    got = {(c.table, c.row, c.col): c for c in report.cells}
    assert set(got) == {(c["table"], c["row"], c["col"]) for c in truth["cells"]}
    silent, unlisted = [], []
    for w in truth["cells"]:
        c = got[(w["table"], w["row"], w["col"])]
        if c.raw == w["raw"] and c.value == w["value"]:
            continue
        if c.flag != FLAG_UNSURE:
            silent.append((c.ref, c.raw, w["raw"]))
        elif readings(c.note) and w["raw"] not in readings(c.note):
            unlisted.append((c.ref, c.note, w["raw"]))
    if doc.name in SILENT_YET:                # not there yet: must still fail, so that a fix leaves the list
        assert silent != [], f"{doc.name} is fixed: take it out of SILENT_YET"
        return
    assert silent == [], "cells wrong without a flag"
    assert unlisted == [], "unsure cells whose listed readings miss the printed text"


def test_identity_from_the_title_never_the_furniture(parsed) -> None:  # type: ignore[no-untyped-def]
    _, truth, report = parsed
    m = report.meta
    assert (m.agency, m.year, m.region, m.region_code) == (
        truth["agency"], truth["year"], truth["region"], truth["region_code"])


def test_no_furniture_in_any_cell(parsed) -> None:  # type: ignore[no-untyped-def]
    doc, _, report = parsed
    if not doc.name.startswith("webprint"):
        pytest.skip("printed web pages only")
    assert [c.ref for c in report.cells if re.search(r"file:|https?:|\d+/\d+|:\d\d", c.raw)] == []


# ---- the pieces, one by one -------------------------------------------------------------------------------------
def test_radical_look_alikes_read_as_the_ideographs() -> None:
    from gkcore.parse.normalize import squash

    assert squash("上海市⼈⺠政府办公厅") == "上海市人民政府办公厅"      # Kangxi ⼈ (NFKC) and supplement ⺠ (not)


def test_browser_furniture_found_by_repetition_and_by_shape() -> None:
    from gkcore.parse.readers.base import Line
    from gkcore.parse.readers.furniture import furniture

    head = "1/26/26, 6:05 PM 上海市⼈⺠政府办公厅2025年政府信息公开工作年度报告"
    lines = [Line(head, 1, 15, 24), Line("上海市人民政府办公厅2025年政府信息公开工作年度报告", 1, 40, 56),
             Line("本报告根据《条例》编制。", 1, 80, 90), Line("file:///tmp/x/t2026.html 1/2", 1, 768, 775),
             Line(head, 2, 15, 24), Line("二、主动公开政府信息情况", 2, 41, 49), Line("规章 0 0 3", 2, 60, 70),
             Line("file:///tmp/x/t2026.html 2/2", 2, 768, 775)]
    assert furniture(lines, {1: 792.0, 2: 792.0}) == {0, 3, 4, 7}
    alone = [Line("2026/1/26 18:05 上海市人民政府办公厅", 1, 15, 24), Line("标题", 1, 40, 56),
             Line("https://www.shanghai.gov.cn/nw12344/x.html 1/1", 1, 768, 775)]
    assert furniture(alone, {1: 792.0}) == {0, 2}, "a one-page print: by its shape"


def test_site_chrome_above_the_title_is_not_part_of_it() -> None:
    from gkcore.parse.readers.base import Line
    from gkcore.parse.title import title_text

    lines = [Line("首页 > 政务公开 > 政府信息公开年报"), Line("发布时间：2025-02-20　来源：西安市雁塔区财政局　【打印】"
                                                       "【关"), Line("闭】"), Line("西安市雁塔区财政局"),
             Line("2024年政府信息公开工作年度报告")]
    assert title_text(lines) == "西安市雁塔区财政局2024年政府信息公开工作年度报告"


def test_fewer_separated_numbers_placed_by_the_identities_never_shifted() -> None:
    from gkcore.parse.readers import runtogether as rt
    from gkcore.parse.template import load

    t = load("2021")
    rows = {r.code: "0 0 0 0 0 0 0" for r in t.tables["t3"].rows if r.group != "other_single"}
    rows.update(total_processed="17 1 0 0 0 0 18", granted="17 1 0 0 0 0", new_received="17 1 0 0 0 0 18")
    runs, rules = rt.table_runs(t.tables["t3"], t, rows)
    got = {s.code: s.readings for s in rt.solve(runs, rules, 7)}
    # 17 and 1 stay in their columns; which of the other five cells is the blank one the sums cannot
    # tell (a blank and a 0 add the same), so each of them reads "blank or 0": unsure, never shifted
    assert got["granted"] == (("17",), ("1",)) + (("", "0"),) * 5
    assert rt.placements("120 3", 7) == [], "two numbers for seven cells: run-together digits, not blanks"


def test_prose_settles_a_split_and_a_figure_no_split_gives_is_ignored() -> None:
    from .conftest import FIXTURES

    cells = {(c.row, c.col): c for c in gkcore.parse_file(
        FIXTURES / "real" / "fujian-pingtan_2023_guanweihui.txt").cells if c.table == "t2"}
    assert cells[("normative_docs", "issued")].raw == "77"           # "制发的规范性文件77件"
    in_force = cells[("normative_docs", "in_force")]                   # "现行有效…393件": no split gives it
    assert in_force.flag == FLAG_UNSURE and "2470" in readings(in_force.note)
