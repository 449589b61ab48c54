"""评估 criterion by criterion, each met and not met, on real reports (tests/fixtures/real) and on
variants made from them the way drafts go wrong: a section removed, a late date, the 信息处理费
sentence missing, last year's 五 pasted into this year's report, a renamed section. And the list
as data (validated when loaded), the warnings, the index's columns and the command line."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

import gkcore
from gkcore.assess.batch import assess_reports
from gkcore.assess.criteria import default_criteria, parse_criteria
from gkcore.assess.grade import assess
from gkcore.assess.indexed import SCORE, index_criteria
from gkcore.assess.result import CANNOT_TELL, MET, NOT_MET, Assessment
from gkcore.assess.subject import CARRY_FORWARD, Subject, from_report, ref
from gkcore.assess.warn import warnings
from gkcore.cli import main
from gkcore.errors import TemplateError
from gkcore.library import Filter, Library
from gkcore.model.frames import cells_frame, checks_frame, figures_frame, outline_frame, reports_frame
from gkcore.model.outline import SECTION_CODES
from gkcore.present.assessments import Assessments
from gkcore.store.segments import derive

from .conftest import FIXTURES

REAL = FIXTURES / "real"
PT = {y: REAL / f"fujian-pingtan_{y}_guanweihui.txt" for y in range(2019, 2026)}
HONGZE_2023 = REAL / "jiangsu-huaian-hongze_2023_qu-zhengfu.pdf"
HUAIAN = REAL / "jiangsu-huaian_2024_shi-zhengfu.pdf"
ZHANGDIAN = REAL / "shandong-zibo-zhangdian_2024_qu-zhengfu-bangongshi.txt"
KEWEI = REAL / "shanghai_2024_kewei.pdfextract.md"
SHUYANG_2025 = REAL / "jiangsu-suqian-shuyang_2025_xian-zhengfu.ocr.txt"


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def graded(src: str | Path, prev: Path | str | None = None, name: str = "variant.txt") -> Assessment:
    rep = gkcore.parse_file(src) if isinstance(src, Path) else gkcore.parse_bytes(src.encode(), name)
    before = None
    if prev is not None:
        before = from_report(gkcore.parse_file(prev) if isinstance(prev, Path) else
                             gkcore.parse_bytes(prev.encode(), "prev.txt"))
    return assess(from_report(rep), before)


def status(a: Assessment, code: str) -> str:
    r = a.result(code)
    assert r is not None
    return r.status


# ---- the outline ---------------------------------------------------------------------------------
def test_outline_finds_six_sections_and_the_dates() -> None:
    o = gkcore.parse_file(PT[2024]).outline
    assert [s.code for s in o.sections] == list(SECTION_CODES)
    assert o.section("other") is not None and "信息处理费" in o.section("other").text  # type: ignore[union-attr]
    assert [(d.kind, d.date) for d in o.dates] == [("published", "2025-03-10")]
    o = gkcore.parse_file(SHUYANG_2025).outline              # 沐阳县人民政府（2026年1月23日）, and signed
    assert {(d.kind, d.date) for d in o.dates} == {("head", "2026-01-23"), ("signature", "2026-01-23")}


def test_a_renamed_section_is_found_by_place_and_content() -> None:
    src = text(PT[2024]).replace("一、总体情况", "一、年度工作核心成效 ")
    a = graded(src)
    sec = gkcore.parse_bytes(src.encode(), "v.txt").outline.section("overview")
    assert sec is not None and sec.renamed and sec.heading.startswith("一、年度工作核心成效")
    assert status(a, "complete") == MET
    assert "改名" in a.result("complete").message  # type: ignore[union-attr]


def test_renumbered_sections_are_found_and_a_missing_one_is_not_met() -> None:
    a = graded(KEWEI)                                        # 一、主动公开… 三、复议… 五、其他 (no 存在的主要问题)
    o = gkcore.parse_file(KEWEI).outline
    assert o.section("active").heading == "一、主动公开政府信息情况"  # type: ignore[union-attr]
    assert o.section("problems") is None
    assert status(a, "complete") == NOT_MET and "五、存在的主要问题及改进情况" in a.result("complete").message  # type: ignore[union-attr]


# ---- 按时 ------------------------------------------------------------------------------------------
def test_on_time_met_and_late() -> None:
    assert status(graded(PT[2024]), "on_time") == MET          # a government's report by 31 March
    late = text(PT[2024]).replace("发布时间: 2025-03-10", "发布时间: 2025-04-15")
    r = graded(late).result("on_time")
    assert r is not None and r.status == NOT_MET and "晚于期限15天" in r.message and r.evidence[0].ref == "published"


def test_on_time_a_department_by_its_signature_and_cannot_tell_without_a_date() -> None:
    signed = text(ZHANGDIAN) + "\n张店区人民政府办公室\n2025年1月20日\n"
    r = graded(signed).result("on_time")
    assert r is not None and r.status == MET and "落款日期" in r.message and "1月31日" not in r.message
    assert "2025-01-31" in r.message                           # a department: 31 January (Art. 49)
    late = graded(text(ZHANGDIAN) + "\n张店区人民政府办公室\n2025年2月10日\n").result("on_time")
    assert late is not None and late.status == NOT_MET
    assert status(graded(HONGZE_2023), "on_time") == CANNOT_TELL     # no date printed


# ---- 要素齐全 and 其他需要报告的事项 ---------------------------------------------------------------------
def test_a_section_removed() -> None:
    src = re.sub(r"六、其他需要报告的事项.*", "", text(PT[2024]), flags=re.S)
    a = graded(src)
    assert status(graded(PT[2024]), "complete") == MET
    assert status(a, "complete") == NOT_MET and "六、其他需要报告的事项" in a.result("complete").message  # type: ignore[union-attr]
    assert status(a, "other_matters") == NOT_MET


def test_the_processing_fee_sentence_missing() -> None:
    assert status(graded(PT[2024]), "other_matters") == MET
    src = text(PT[2024]).replace("2024年，无收取信息处理费情况。", "无。")
    r = graded(src).result("other_matters")
    assert r is not None and r.status == NOT_MET and "信息处理费" in r.message


# ---- 整改 --------------------------------------------------------------------------------------------
def test_follow_up_met_and_not_met() -> None:
    assert status(graded(ZHANGDIAN), "follow_up") == MET
    assert status(graded(PT[2024]), "follow_up") == NOT_MET       # problems and plans only
    src = text(PT[2024]).replace("五、存在的主要问题及改进情况",
                                 "五、存在的主要问题及改进情况针对上年度报告提出的问题，均已整改到位。")
    r = graded(src).result("follow_up")
    assert r is not None and r.status == MET and "上年度" in r.evidence[0].text


# ---- 数据准确 and 上年结转 ---------------------------------------------------------------------------------
def test_accurate_met_and_not_met() -> None:
    assert status(graded(HUAIAN), "accurate") == MET
    r = graded(HONGZE_2023).result("accurate")                 # 表四 does not add up
    assert r is not None and r.status == NOT_MET and r.evidence and r.evidence[0].kind == "check"


def test_carry_over_against_last_years_carried_forward() -> None:
    assert status(graded(PT[2024], PT[2023]), "carry_over") == MET
    assert status(graded(PT[2024]), "carry_over") == CANNOT_TELL
    prev = from_report(gkcore.parse_file(PT[2023]))
    changed = replace(prev, values=tuple((r, 3.0 if r == ref(CARRY_FORWARD) else v, p) for r, v, p in prev.values))
    r = assess(from_report(gkcore.parse_file(PT[2024])), changed).result("carry_over")
    assert r is not None and r.status == NOT_MET and "不一致" in r.message


# ---- 内容翔实 and 不雷同 ---------------------------------------------------------------------------------
def test_substance_met_and_not_met() -> None:
    assert status(graded(PT[2024]), "substance") == MET
    r = graded(PT[2019]).result("substance")                   # its overview never speaks of 依申请公开
    assert r is not None and r.status == NOT_MET and "依申请公开" in r.message
    src = re.sub(r"一、总体情况.*?二、主动公开", "一、总体情况 本年度工作顺利完成。二、主动公开", text(PT[2024]),
                 flags=re.S)
    r = graded(src).result("substance")
    assert r is not None and r.status == NOT_MET and "只有一句" in r.message


def test_last_years_section_five_pasted_is_copied() -> None:
    assert status(graded(PT[2024], PT[2023]), "not_copied") == MET
    five = re.compile(r"五、存在的主要问题及改进情况.*?(?=六、其他需要报告的事项)", re.S)
    old = five.search(text(PT[2023]))
    assert old is not None
    pasted = five.sub(lambda m: old.group(), text(PT[2024]))
    r = graded(pasted, PT[2023]).result("not_copied")
    assert r is not None and r.status == NOT_MET and r.value is not None and r.value > 0.3
    assert r.evidence and all(e.kind == "sentence" for e in r.evidence)
    assert status(graded(PT[2024]), "not_copied") == CANNOT_TELL


# ---- warnings --------------------------------------------------------------------------------------
def test_warnings_for_outliers_and_a_drop_to_zero() -> None:
    w = warnings({"review_correction_rate": 0.6, "received": 0}, {"review_correction_rate": 0.1}, 20, 50.0)
    assert [x.code for x in w] == ["review_correction_rate_high", "requests_dropped_to_zero"]
    assert warnings({"review_correction_rate": 0.6}, {"review_correction_rate": 0.1}, 2, None) == ()
    assert warnings({"review_correction_rate": 0.2, "received": 5}, {"review_correction_rate": 0.1}, 20, 50.0) == ()


# ---- the list as data ------------------------------------------------------------------------------
BUNDLED = (Path(gkcore.__file__).parent / "assess" / "criteria.toml").read_text(encoding="utf-8")


def test_the_bundled_list_names_article_49_for_the_deadlines() -> None:
    cr = default_criteria()
    assert {d.law for d in cr.deadlines} == {"ogi_art49"}
    assert "1月31日" in cr.article("ogi_art49").text and "3月31日" in cr.article("ogi_art49").text
    assert "年度报告应当包括下列内容" in cr.article("ogi_art50").text
    assert [i.verified for i in cr.other_items] == [False] * 4                # said so in the data
    assert cr.deadline_for("淮安市人民政府").month == 3 and cr.deadline_for("张店区人民政府办公室").month == 1


@pytest.mark.parametrize(("change", "match"), [
    (('code = "on_time"', 'code = "punctual"'), "unknown criterion"),
    (("weight = 15", "weight = 150"), "between 0 and 100"),
    (("month = 3", "month = 13"), "month/day"),
    (("max_share = 0.3", 'max_share = "a lot"'), "must be a number"),
    (("[warnings]", "[warning]"), "KeyError"),
])
def test_a_bad_list_is_refused_with_a_message(change: tuple[str, str], match: str) -> None:
    with pytest.raises(TemplateError, match=match):
        parse_criteria(BUNDLED.replace(*change, 1), "mine.toml")


def test_an_evaluators_own_list_changes_the_score() -> None:
    mine = parse_criteria(BUNDLED.replace('code = "follow_up"\nname = "问题整改"\nname_en = "Last year\'s problems '
                                          'followed up"\nweight = 10', 'code = "follow_up"\nname = "问题整改"\n'
                                          'name_en = "Last year\'s problems followed up"\nweight = 0'))
    rep = from_report(gkcore.parse_file(PT[2024]))
    assert assess(rep).score == 88.2 and assess(rep, criteria=mine).score == 100.0


# ---- the index, the library, the command line --------------------------------------------------------
def test_the_index_keeps_the_single_report_criteria(tmp_path: Path) -> None:
    lib = Library(gkcore.Cache(tmp_path / "c"))
    lib.ingest_paths([PT[2023], PT[2024], HONGZE_2023])
    m = lib.metrics().set_index("report_id")
    A = Assessments(lib)
    for rid in m.index:
        full = A.of(str(rid))
        assert full is not None
        alone = Assessment(full.report_id, full.agency, full.region, full.region_code, full.year, full.criteria_id,
                           tuple(r for r in full.results if r.code in index_criteria()))
        assert m.loc[rid, SCORE] == alone.score
    top = A.ranking()
    assert list(top[SCORE]) == sorted(top[SCORE], reverse=True)
    by_year = {a.year: a for a in (A.of(str(i)) for i in m.index) if a is not None and "平潭" in a.agency}
    assert by_year[2024].result("carry_over").status == MET  # type: ignore[union-attr]
    assert by_year[2023].result("carry_over").status == CANNOT_TELL  # type: ignore[union-attr]


def _index_alone(A: Assessments, rid: str) -> Assessment:
    """One report's assessment over the index's criteria only, graded in full (Assessments.of:
    the cache entry, the checks rerun on the corrected cells)."""
    full = A.of(rid)
    assert full is not None
    return Assessment(full.report_id, full.agency, full.region, full.region_code, full.year, full.criteria_id,
                      tuple(r for r in full.results if r.code in index_criteria()))


def test_a_correction_grades_the_index_row_again(tmp_path: Path) -> None:
    """A saved correction reruns the checks of its report; the index's score and criteria columns
    of that report follow (the metrics, the ranking, the map's mean), and a deleted correction
    brings the first grading back."""
    lib = Library(gkcore.Cache(tmp_path / "c"))
    lib.ingest_paths([HONGZE_2023, PT[2024]])
    rid = str(lib.search(Filter(agency="洪泽")).popitem()[0])
    before = lib.metrics([rid]).iloc[0]
    assert before["assess_accurate"] < 1                            # 表四's review block does not add up
    lib.correct(rid, "t4", "review", "total", "11", "原文合计漏填")
    after = lib.metrics([rid]).iloc[0]
    assert after["assess_accurate"] > before["assess_accurate"] and after[SCORE] > before[SCORE]
    A = Assessments(lib)
    assert after[SCORE] == _index_alone(A, rid).score                # as a full grading of the corrected report
    for c in index_criteria():
        want = _index_alone(A, rid).result(c)
        assert want is not None, c
        got = after[f"assess_{c}"]
        assert (pd.isna(got) and want.score is None) or got == pytest.approx(want.score), c    # empty: cannot tell
    assert lib.ranking(SCORE).set_index("report_id").loc[rid, SCORE] == after[SCORE]
    region = pd.DataFrame({"region_code": [before_code := str(lib.row(rid)["region_code"])],  # type: ignore[index]
                           "map_region": [before_code]})
    assert lib.by_region(Filter(codes=(before_code,)), region, [SCORE])[SCORE].tolist() == [after[SCORE]]
    lib.correct(rid, "t4", "review", "total", "", "", action="delete")
    assert lib.metrics([rid]).iloc[0][SCORE] == before[SCORE]


def test_a_report_without_the_metrics_cells_keeps_its_score_in_the_index() -> None:
    """A report none of whose cells a metric needs (表三 and 表四 not read) still has its row in
    the index's metrics part: its figures blank (never 0), its score there to rank."""
    rep = gkcore.parse_file(PT[2024])
    frames = {"reports": reports_frame([rep]), "cells": cells_frame([rep]), "checks": checks_frame([rep]),
              "figures": figures_frame([rep]), "outline": outline_frame([rep])}
    frames["cells"] = frames["cells"][frames["cells"]["table"] == "t2"]
    m = derive(frames)["metrics"]
    assert m["report_id"].tolist() == [rep.meta.report_id]
    assert pd.isna(m["received"].iloc[0]) and pd.isna(m["disclosure_rate"].iloc[0])
    assert 0 < m[SCORE].iloc[0] <= 100


def test_command_line_csv_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(PT[2023]), str(PT[2024]), "--format", "csv"]) == 0
    df = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert len(df) == 2 * 8 and set(df["status"]) <= {MET, NOT_MET, CANNOT_TELL}
    row = df[(df["year"] == 2024) & (df["criterion"] == "carry_over")].iloc[0]
    assert row["status"] == MET                                # 2023's report is among the files
    assert main(["assess", str(PT[2024]), "--format", "json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got[0]["year"] == 2024 and len(got[0]["results"]) == 8


def test_command_line_refuses_a_bad_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "mine.toml"
    bad.write_text(BUNDLED.replace("weight = 15", "weight = -1"), encoding="utf-8")
    assert main(["assess", str(PT[2024]), "--criteria", str(bad)]) == 2
    assert "mine.toml" in capsys.readouterr().err


def test_assess_reports_pairs_years_of_one_body() -> None:
    got = assess_reports([gkcore.parse_file(PT[2023]), gkcore.parse_file(PT[2024])])
    assert [status(a, "not_copied") for a in got] == [CANNOT_TELL, MET]
    assert isinstance(got[0], Assessment) and isinstance(from_report(gkcore.parse_file(PT[2024])), Subject)
