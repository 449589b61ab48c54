"""Sentences built from codes and parameters in either language (present/messages.py, the
templates in labels.toml), English region names, where a cell's row is in a text source, and
the corrections log replayed (correct, undo, delete)."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import pandas as pd
import pytest

from gkcore.errors import NotAValue
from gkcore.model.metrics import METRICS, SCORES
from gkcore.model.notes import note, parse_note
from gkcore.present.messages import check_text, formula, meanings, note_text, say, units
from gkcore.present.placenames import region_en
from gkcore.present.source import focus, locate, source_lines
from gkcore.store.cache import Cache
from gkcore.store.corrections import acceptable, no_corrections, save, standing

from .conftest import FIXTURES

HAN = re.compile(r"[\u4e00-\u9fff：（），。]")


def _labels() -> dict[str, dict[str, object]]:
    return tomllib.loads(resources.files("gkcore.present").joinpath("labels.toml").read_text(encoding="utf-8"))


def test_every_template_has_both_languages_and_the_same_parameters() -> None:
    data = _labels()
    for section in ("notes", "checks", "rule_fail"):
        for code, entry in data[section].items():
            assert isinstance(entry, dict)
            zh, en = str(entry["zh"]), str(entry["en"])
            assert set(re.findall(r"\{(\w+)\}", zh)) == set(re.findall(r"\{(\w+)\}", en)), (section, code)
            assert not HAN.search(en), (section, code, en)
    assert set(data["formulas"]) == {m.code for m in (*METRICS, *SCORES)}


def test_a_note_is_a_code_with_parameters_in_either_language() -> None:
    stored = note("cell_count", found=8, expected=7)
    assert stored == 'cell_count{"expected": 7, "found": 8}'
    assert parse_note(stored) == ("cell_count", {"expected": 7, "found": 8})
    assert note_text(stored, "zh") == "本行读到 8 个单元格，应有 7 个"
    assert note_text(stored, "en") == "8 cells read in this row, 7 expected"
    readings = note("run_together", readings=["", "6", "69"])
    assert note_text(readings, "zh") == "数字连写，拆分不唯一：可能为 空白 或 6 或 69"
    assert note_text(readings, "en") == "Digits run together and split more than one way: blank or 6 or 69"
    assert note_text("旧缓存里的中文说明", "en") == "旧缓存里的中文说明"      # not a coded note: shown as it is
    assert note_text(None) == note_text(float("nan")) == note_text("") == ""
    assert parse_note('cell_count{"broken') is None


def test_check_messages_in_either_language() -> None:
    args = ("t3_row_total", "row:granted", "fail", 3119.0, 3120.0, ["t3.granted.total"])
    assert check_text(*args, lang="zh") == \
        "申请人合计不符：表三“三（一）予以公开”行：总计为 3119，六类申请人之和为 3120"
    en = check_text(*args, lang="en")
    assert en == "Applicants add up, not met: Table 3, row “Disclosed”: the total is 3119, " \
                 "the six kinds of applicant add up to 3120"
    blank = check_text("t3_column_balance", "col:total", "not_assessable", None, None,
                       ["t3.carried_over.total"], lang="en")
    assert "Carried over from last year · Total" in blank and not HAN.search(blank)
    prose = check_text("prose_reviews", "prose", "fail", 5, 3, [], lang="en")
    assert prose == "The text states 5 administrative reviews; the tables give 3"
    assert say("checks", "pass", "zh").startswith("{title}")


def test_formulas_dictionary_and_units_in_english() -> None:
    assert formula("disclosure_rate", "en") == "(disclosed + partly disclosed) ÷ total processed (7)"
    assert formula("disclosure_rate", "zh") == "（予以公开 + 部分公开）÷（七）总计"
    d = pd.DataFrame({"table": ["t3", "metric"], "row": ["granted", "received"],
                      "label_en": ["Disclosed · Total", ""], "unit": ["件/个", "件"],
                      "meaning": ["收到和处理政府信息公开申请情况：…", "本年新收申请（总计）"]})
    assert meanings(d, "en") == ["Requests received and processed: Disclosed · Total",
                                 "New requests this year (total)"]
    assert meanings(d, "zh") == d["meaning"].tolist()
    assert units(d, "en") == ["requests", "count"]


@pytest.mark.parametrize(("zh", "en"), [
    ("江苏省淮安市洪泽区", "Hongze District, Huai'an City, Jiangsu Province"),
    ("福建省福州市平潭县", "Pingtan County, Fuzhou City, Fujian Province"),
    ("陕西省西安市", "Xi'an City, Shaanxi Province"),
    ("内蒙古自治区呼和浩特市", "Hohhot City, Inner Mongolia Autonomous Region"),
    ("广西壮族自治区", "Guangxi Zhuang Autonomous Region"),
    ("上海市浦东新区", "Pudong New Area, Shanghai City"),
    ("山东省济南市市中区", "Shizhong District, Jinan City, Shandong Province"),
    ("", ""), ("Hongze", "Hongze"),
])
def test_region_names_in_english(zh: str, en: str) -> None:
    assert region_en(zh) == en


def test_the_line_of_a_cell_in_a_text_source() -> None:
    path = FIXTURES / "real" / "shandong-zibo-zhangdian_2024_qu-zhengfu-bangongshi.txt"
    lines = source_lines(path.read_bytes(), "text")
    at = locate(lines, "2021", "t3", "granted", "6")
    assert at is not None and lines[at].strip() == "（一）予以公开 6 0 0 0 0 0 6"
    assert focus(lines[at], "2021", "t3", "granted") == ("", lines[at], "")
    review = locate(lines, "2021", "t4", "review", "2")
    assert review is not None and lines[review].split()[:5] == ["2", "0", "0", "0", "2"]
    assert locate(["no table here"], "2021", "t3", "granted") is None
    one = "x" * 300 + "收到和处理政府信息公开申请情况" + "y" * 50 + "（一）予以公开6000017" + "z" * 300
    before, marked, after = focus(one, "2021", "t3", "granted")
    assert marked.startswith("予以公开6000017") and before.startswith("…") and after.endswith("…")


def test_corrections_are_checked_and_the_log_replayed(tmp_path: object) -> None:
    assert acceptable("12") and acceptable("1,234") and acceptable("") and acceptable("/") and acceptable("-3")
    assert not acceptable("abc") and not acceptable("12万")
    cache = Cache(str(tmp_path))
    with pytest.raises(NotAValue, match="数字单元格只能填写数字.*a number cell holds a number"):
        save(cache, no_corrections(), "r1", "t3", "granted", "total", "5", 5.0, "abc", "")
    assert not cache.corrections_path.exists()

    def log(*entries: tuple[str, str]) -> pd.DataFrame:
        return pd.DataFrame([{"report_id": "r1", "table": "t3", "row": "granted", "col": "total", "new_raw": raw,
                              "new_value": float(raw) if raw else float("nan"), "at": f"2026-01-01T00:00:0{i}",
                              "action": act} for i, (act, raw) in enumerate(entries)])

    assert standing(log(("correct", "3"), ("correct", "4")))["new_raw"].tolist() == ["4"]
    assert standing(log(("correct", "3"), ("correct", "4"), ("undo", "")))["new_raw"].tolist() == ["3"]
    assert standing(log(("correct", "3"), ("correct", "4"), ("delete", ""))).empty
    assert standing(log(("correct", "3"), ("undo", ""), ("undo", ""), ("correct", "5")))["new_raw"].tolist() == ["5"]
    legacy = log(("correct", "3")).drop(columns="action")           # a log saved before undo and delete
    assert standing(legacy)["new_raw"].tolist() == ["3"]
