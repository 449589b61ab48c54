"""The display vocabulary (gkcore/present/labels.toml) and the pure functions that turn a frame
into what the dashboard shows: headers in the user's language, coded values in words, "—" with
its reason for a missing figure. Exports never pass through them."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from gkcore.model.metrics import METRICS
from gkcore.present.labels import (
    column_label,
    for_display,
    metric_reasons,
    metric_text,
    metrics_for_display,
    missing_text,
    value_label,
    vocabulary,
)


def test_vocabulary_has_both_languages_for_every_term() -> None:
    v = vocabulary()
    terms = [*v.columns.values(), *v.missing.values(), *(t for table in v.values.values() for t in table.values())]
    assert len(terms) > 60
    for t in terms:
        assert (t.zh == "") == (t.en == ""), t      # only the blank flag is blank, in both languages
    assert {"report_id", "table", "row", "col", "raw", "flag", "year", "label", "fail", "rule"} <= set(v.columns)
    assert v.columns["report_id"].code_only and not v.columns["raw"].code_only


def test_column_label_in_both_languages_and_with_codes() -> None:
    assert column_label("raw") == "原文"
    assert column_label("raw", "en") == "As printed"
    assert column_label("raw", "zh", show_codes=True) == "原文 [raw]"
    assert column_label("disclosure_rate") == "实质公开率"               # metrics from METRICS
    assert column_label("disclosure_rate", "en") == "Disclosure rate"
    assert column_label("淮安市人民政府 · 2024") == "淮安市人民政府 · 2024"   # not a code: kept


def test_value_label() -> None:
    assert value_label("status", "fail") == "不符"
    assert value_label("status", "fail", "en", show_codes=True) == "does not add up [fail]"
    assert value_label("continuity", "") == "无法核对"
    assert value_label("flag", "") == ""
    assert value_label("agency", "fail") == "fail"                     # no coded values: unchanged


def test_for_display_renames_translates_hides_codes_and_marks_missing() -> None:
    df = pd.DataFrame({"report_id": ["a1", "b2"], "label": ["甲 · 2024", "乙 · 2024"],
                       "status": ["fail", "not_assessable"], "expected": [3.0, math.nan], "found": [2.0, 5.0],
                       "year": [2024, 2024]})
    out = for_display(df)
    assert list(out.columns) == ["报告", "状态", "应为", "实为", "年份"]        # report_id is a code only
    assert list(out["状态"]) == ["不符", "无法核对"]
    assert list(out["应为"]) == ["3", "—"]                   # a missing value: "—", never None or nan
    assert out["实为"].dtype.kind == "f" and out["年份"].dtype.kind == "i"   # complete numbers stay numbers
    en = for_display(df, "en", show_codes=True)
    assert list(en.columns) == ["Report ID [report_id]", "Report [label]", "Status [status]",
                                "Expected [expected]", "Found [found]", "Year [year]"]
    assert list(en["Status [status]"]) == ["does not add up [fail]", "not assessable [not_assessable]"]
    assert list(df.columns)[0] == "report_id"                 # the input is not changed
    kept = for_display(pd.DataFrame({"code": ["t3.x.total"], "meaning": ["…"]}), always=("code",))
    assert list(kept.columns) == ["代码", "含义"]


def test_missing_text_with_reason() -> None:
    assert missing_text() == "—"
    assert missing_text("denominator_zero") == "—（分母为 0）"
    assert missing_text("denominator_zero", "en") == "— (denominator is 0)"
    with pytest.raises(KeyError, match="no_such_reason"):
        missing_text("no_such_reason")


def _metrics(**cols: list[float]) -> pd.DataFrame:
    base = {m.code: [1.0] * len(next(iter(cols.values()))) for m in METRICS}
    return pd.DataFrame({"report_id": [f"r{i}" for i in range(len(next(iter(cols.values()))))], **base, **cols})


def test_metric_reasons_tell_denominator_zero_from_blank() -> None:
    m = _metrics(reviews=[0.0, math.nan, 4.0], review_correction_rate=[math.nan, math.nan, math.nan],
                 received=[math.nan, 3.0, 3.0])
    r = metric_reasons(m)
    assert list(r["review_correction_rate"]) == ["denominator_zero", "blank", "not_computable"]
    assert list(r["received"]) == ["blank", "", ""]
    assert list(r["disclosure_rate"]) == ["", "", ""]


def test_metric_text_and_metrics_for_display() -> None:
    m = _metrics(reviews=[0.0, 12.0], review_correction_rate=[math.nan, 0.25], received=[3119.0, math.nan])
    assert metric_text(m.iloc[0], "review_correction_rate") == "—（分母为 0）"
    assert metric_text(m.iloc[1], "review_correction_rate") == "25.0%"
    assert metric_text(m.iloc[0], "received") == "3,119"
    assert metric_text(m.iloc[1], "received", "en") == "— (figure missing)"
    shown = metrics_for_display(m, "en")
    assert "report_id" not in shown.columns and "Review correction rate" in shown.columns
    assert list(shown["Review correction rate"]) == ["— (denominator is 0)", "25.0%"]
    assert not shown.isna().any().any()


def test_a_cell_of_the_other_format_is_named_not_coded() -> None:
    from gkcore.present.compare import row_label
    assert row_label("t2", "licensing", "prev_items") == "行政许可 · 上一年项目数量"        # a 2019 column
    assert row_label("t2", "licensing", "prev_items", "en") == "Licensing · Items last year"
    with pytest.raises(KeyError, match="t2.no_such_row"):
        row_label("t2", "no_such_row", "total")
