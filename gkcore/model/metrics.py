"""Derived figures per report, each with its formula in one place (and shown to users).

A rate is empty (NaN) when its denominator is 0 or a cell it needs is blank: never a zero
invented for a missing figure. Three kinds of figure, each adding up its own way over a set of
reports (a region on the map): a count is summed, a rate is the median report's (reports of
different sizes are not pooled), a score (the assessment's, 0–100: SCORES) is the mean report's,
with the number of reports it averages."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import REPORT_ID, VALUE, Cell

# pandas is imported where a frame is made: a check over Cells (gkcore.parse) computes a rate without it
if TYPE_CHECKING:
    import pandas as pd

COUNT, RATE, SCORE = "count", "rate", "score"


@dataclass(frozen=True)
class Metric:
    code: str
    label: str                        # Chinese
    label_en: str
    numerator: tuple[str, ...]        # cell refs table.row.col, summed
    denominator: tuple[str, ...] = () # empty: a count, not a rate
    minus: tuple[str, ...] = ()       # subtracted from the denominator
    formula: str = ""                 # as shown to users
    points: int = 0                   # a score out of this many points (graded, not from cells)

    @property
    def kind(self) -> str:
        return SCORE if self.points else RATE if self.denominator else COUNT

    @property
    def is_rate(self) -> bool:
        return self.kind == RATE

    def combine(self, total: Callable[[tuple[str, ...]], Any], ratio: Callable[[Any, Any], Any]) -> Any:
        """The formula, once, over any kind of sums: `total(refs)` sums cells (a number per report,
        or a column of them), `ratio(a, b)` divides (empty where b is 0). A count is its
        numerator; a rate is numerator ÷ (denominator − minus)."""
        num = total(self.numerator)
        if not self.is_rate:
            return num
        den = total(self.denominator)
        return ratio(num, den - total(self.minus) if self.minus else den)


def _col(row: str, col: str = "total") -> str:
    return f"t3.{row}.{col}"


_SUITS = ("t4.suit_direct.total", "t4.suit_after_review.total")
METRICS: tuple[Metric, ...] = (
    Metric("received", "新收申请", "New requests", (_col("new_received"),), formula="本年新收申请（总计）"),
    Metric("carried_over", "上年结转", "Carried over", (_col("carried_over"),), formula="上年结转申请（总计）"),
    Metric("processed", "办结", "Processed", (_col("total_processed"),), formula="（七）总计"),
    Metric("disclosure_rate", "实质公开率", "Disclosure rate", (_col("granted"), _col("partial")),
           (_col("total_processed"),), formula="（予以公开 + 部分公开）÷（七）总计"),
    Metric("granted_rate", "予以公开率", "Granted share", (_col("granted"),), (_col("total_processed"),),
           formula="予以公开 ÷（七）总计"),
    Metric("partial_rate", "部分公开率", "Partly-disclosed share", (_col("partial"),), (_col("total_processed"),),
           formula="部分公开 ÷（七）总计"),
    Metric("no_info_rate", "不掌握率", "No-information share", (_col("unable_no_info"),), (_col("total_processed"),),
           formula="本机关不掌握相关政府信息 ÷（七）总计"),
    Metric("reviews", "行政复议", "Administrative reviews", ("t4.review.total",), formula="行政复议总计"),
    Metric("review_correction_rate", "复议纠错率", "Review correction rate", ("t4.review.corrected",),
           ("t4.review.total",), ("t4.review.pending",), formula="复议结果纠正 ÷（复议总计 − 尚未审结）"),
    Metric("suits", "行政诉讼", "Lawsuits", _SUITS, formula="未经复议直接起诉总计 + 复议后起诉总计"),
    Metric("suit_correction_rate", "诉讼纠错率", "Lawsuit correction rate",
           ("t4.suit_direct.corrected", "t4.suit_after_review.corrected"), _SUITS,
           ("t4.suit_direct.pending", "t4.suit_after_review.pending"),
           formula="诉讼结果纠正 ÷（诉讼总计 − 尚未审结）"),
)
ASSESS_SCORE = "assess_score"
# Figures graded rather than computed from cells (gkcore/assess/indexed.py writes them into the
# index's metrics part beside METRICS): not in metrics_frame, not in 对比's formulas.
SCORES: tuple[Metric, ...] = (
    Metric(ASSESS_SCORE, "评估得分", "Assessment score", (), points=100,
           formula="评估清单中单份报告可以判断的项目的加权得分（满分 100，无法判断的项目不计）"),
)
BY_CODE = {m.code: m for m in (*METRICS, *SCORES)}


def counted(code: str) -> str:
    """The column of a region's figure holding how many reports a mean is over."""
    return f"n_{code}"
# The count behind each rate: a rate ranks only with enough of these (Filter.minimum).
RATE_BASE = {"disclosure_rate": "processed", "granted_rate": "processed", "partial_rate": "processed",
             "no_info_rate": "processed", "review_correction_rate": "reviews", "suit_correction_rate": "suits"}


NEEDED = sorted({ref for m in METRICS for ref in (*m.numerator, *m.denominator, *m.minus)})


def values_wide(cells: pd.DataFrame, refs: list[str] | None = None) -> pd.DataFrame:
    """report_id x `table.row.col` numbers (NaN where blank or absent), for `refs` only when
    given (the metrics need 15 of the ~200 cells: filtering first makes the pivot 5x faster)."""
    import pandas as pd

    if refs is not None:
        parts = pd.DataFrame([r.split(".") for r in refs], columns=["table", "row", "col"])
        cells = cells.merge(parts, on=["table", "row", "col"])
    key = cells["table"] + "." + cells["row"] + "." + cells["col"]
    return cells.assign(key=key).pivot_table(index=REPORT_ID, columns="key", values=VALUE, aggfunc="first",
                                             dropna=False)


def _sum(wide: pd.DataFrame, refs: tuple[str, ...]) -> pd.Series:
    import pandas as pd

    if not refs:
        return pd.Series(0.0, index=wide.index)
    cols = [wide[r] if r in wide else pd.Series(math.nan, index=wide.index) for r in refs]
    return pd.concat(cols, axis=1).sum(axis=1, min_count=len(refs))   # NaN if any part is NaN


def metrics_frame(cells: pd.DataFrame) -> pd.DataFrame:
    """One row per report, one column per metric code."""
    import pandas as pd

    wide = values_wide(cells, NEEDED)
    out = pd.DataFrame(index=wide.index)
    for m in METRICS:
        out[m.code] = m.combine(lambda refs: _sum(wide, refs),
                                lambda a, b: (a / b.where(b != 0)).astype("float64"))
    return out.reset_index()


def metric_value(metric: Metric, cells: Iterable[Cell]) -> float | None:
    """One report's metric from its Cells (no pandas), by the same formula as metrics_frame:
    None where a cell it needs is blank or absent, or the denominator is 0, and for a score (it
    is graded from the whole report, not summed from cells: never a 0 made of no cells)."""
    if metric.kind == SCORE:
        return None
    values = {c.ref: c.value for c in cells}

    def total(refs: tuple[str, ...]) -> float:
        got = [values.get(r) for r in refs]
        return math.nan if any(v is None for v in got) else float(sum(v for v in got if v is not None))

    v = metric.combine(total, lambda a, b: a / b if b != 0 else math.nan)
    return None if math.isnan(v) else float(v)


OUTCOME_GROUPS = (
    ("予以公开", "Disclosed", ("granted",)),
    ("部分公开", "Partly", ("partial",)),
    ("不予公开", "Refused", ("deny_state_secret", "deny_law_forbidden", "deny_three_safety", "deny_third_party",
                          "deny_internal_affairs", "deny_process_info", "deny_enforcement_file", "deny_admin_query")),
    ("无法提供", "Unable", ("unable_no_info", "unable_need_create", "unable_unclear")),
    ("不予处理", "Not handled", ("reject_petition", "reject_duplicate", "reject_publication", "reject_massive",
                            "reject_confirm")),
    ("其他处理", "Other", ("other_overdue_correction", "other_overdue_fee", "other_other", "other_total")),
)


def outcome_shares(cells: pd.DataFrame, col: str = "total") -> pd.DataFrame:
    """report_id x outcome group: share of （七）总计 (NaN where the total is 0 or blank)."""
    import pandas as pd

    t3 = cells[(cells["table"] == "t3") & (cells["col"] == col)]
    piv = t3.pivot_table(index=REPORT_ID, columns="row", values=VALUE, aggfunc="first")
    total = piv.get("total_processed")
    out = pd.DataFrame(index=piv.index)
    for zh, _en, rows in OUTCOME_GROUPS:
        present = [r for r in rows if r in piv]
        part = piv[present].sum(axis=1, min_count=1) if present else pd.Series(float("nan"), index=piv.index)
        out[zh] = part / total.where(total != 0) if total is not None else float("nan")
    return out


def agency_key(agency: str, region: str, region_code: str) -> str:
    """The same body across years even when its title is printed with more or less of its
    place name (淮安市洪泽区人民政府 and 洪泽区人民政府 are one agency): the region code plus
    the agency's name without the place-name prefix."""
    rest = agency
    parts = re.findall(r".+?(?:省|自治区|市|自治州|州|盟|地区|区|县|旗)", region)
    changed = True
    while changed:
        changed = False
        for p in parts:
            if rest.startswith(p) and len(rest) > len(p):
                rest, changed = rest[len(p):], True
    return f"{region_code}:{rest}" if region_code else agency
