"""What the pages with aggregates share (地图, 对比, 校验): which one year a map, a ranking or a
league table adds up, the smallest number of requests behind a ranked rate, and the duplicate
copies (one body's report of one year read from several files), named, with the user's choice of
the copy that counts. Streamlit-aware, like ui.py; the logic is gkcore's (store/dupes.py,
store/filter.py)."""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import replace

import pandas as pd
import streamlit as st

import ui
from gkcore.library import Filter, Library
from gkcore.model import REPORT_ID

KEEP = "copies_keep"          # session state: duplicate group -> the report id the user counts
LISTED_MAX = 20               # duplicate groups offered for a choice at most (the rest: the better-read copy)
_NUMBER = re.compile(r" \(\d+\)$")     # the " (2)" numbering a shared label gets
MINIMUM = 5                   # the default smallest number of requests behind a ranked rate


def one_year(lib: Library, where: Filter, key: str) -> int | None:
    """One year of the filtered reports (the latest by default): what a map, a ranking or a
    league table adds up. Never every year at once: sums would add the years together."""
    years = sorted((int(str(y)) for y in lib.choices("year", where)), reverse=True)
    if not years:
        return None
    ui.kept(key, years[0], int, years)          # in the URL: a link shows the same year
    return int(st.selectbox(ui.t("年份（汇总只取一年）", "Year (totals take one year)"), years, key=key,
                            help=ui.t("地图、排行与排名只汇总一个年度的报告，默认为筛选范围内最近的年份。",
                                      "Maps, league tables and rankings add up one year's reports; the latest "
                                      "year of the filter by default.")))


def minimum(key: str) -> int:
    """The smallest number of requests (cases, for the review and lawsuit rates) behind a rate
    for it to rank: a unit with one request is not first at 100%."""
    ui.kept(key, MINIMUM, int)
    return int(st.number_input(ui.t("比率至少基于多少件申请", "Rates need at least this many requests"),
                               min_value=0, max_value=100_000, step=1, key=key,
                               help=ui.t("申请（复议、诉讼比率为案件）少于此数的报告不参与比率排名与中位数。",
                                         "Reports with fewer requests (cases, for the review and lawsuit rates) "
                                         "are left out of rate rankings and medians.")))


def copies(lib: Library, where: Filter, key: str) -> Filter:
    """Name the duplicate copies among the filtered reports and let the user choose which copy
    counts (kept across pages); returns the filter with that choice."""
    kept: dict[str, str] = st.session_state.setdefault(KEEP, {})
    w = replace(where, keep=tuple(sorted(kept.values())))
    groups = lib.duplicates(keep=w.keep)
    if groups.empty:
        return w
    years = {int(y) for y in where.years}
    if years:
        groups = groups[groups[REPORT_ID].isin(_in_years(lib, groups, years))]
    if groups.empty:
        return w
    n = groups["copy_of"].nunique()
    dropped = int((~groups["counted"]).sum())
    with st.expander(ui.t(f"重复报告：{n} 组（同一机关同一年度的多个文件），每组只计一份，另 {dropped} 份未计入",
                          f"Duplicates: {n} groups (one body's report of one year in several files); each "
                          f"counts once, {dropped} copies left out")):
        st.caption(ui.t("默认计入读得更好的一份（不确定单元格更少、通过的校验更多）；可改选。",
                        "The better-read copy counts by default (fewer unsure cells, more checks passed); "
                        "you can choose another."))
        for i, (group, g) in enumerate(groups.groupby("copy_of", sort=True)):
            if i >= LISTED_MAX:
                st.caption(ui.t(f"仅列出前 {LISTED_MAX} 组。", f"The first {LISTED_MAX} groups only."))
                break
            ids = g[REPORT_ID].tolist()
            text: dict[str, str] = {str(r[REPORT_ID]): _copy_text(r) for r in g.to_dict("records")}
            now = g.loc[g["counted"], REPORT_ID].iloc[0]
            pick = st.radio(ui.plain(_NUMBER.sub("", str(g["label"].iloc[0]))), ids, index=ids.index(now),
                            format_func=text.__getitem__, key=f"{key}_copy_{i}")
            if pick != now:
                kept[str(group)] = str(pick)
                st.rerun()
    return w


def _copy_text(r: dict[Hashable, object]) -> str:
    return ui.plain(ui.t(f"{r['source_name']}（不确定单元格 {r['unsure_cells']}，通过校验 {r['passed']}）",
                f"{r['source_name']} ({r['unsure_cells']} unsure cells, {r['passed']} checks passed)"))


def _in_years(lib: Library, groups: pd.DataFrame, years: set[int]) -> list[str]:
    about = lib.about(groups[REPORT_ID].tolist())
    return about.loc[about["year"].isin(list(years)), REPORT_ID].tolist()


def what_adds_up(lib: Library, where: Filter, year: int) -> str:
    """The caption of an aggregate: which year, how many reports, duplicates counted once."""
    w = replace(where, years=(year,))
    n = lib.count(w)
    extra = lib.count(replace(w, copies=True)) - n
    dup = ui.t(f"，另有 {extra} 份重复文件未计入", f"; {extra} duplicate files not counted") if extra else ""
    return ui.t(f"{year} 年度 · {n:,} 份报告{dup}。", f"Year {year} · {n:,} reports{dup}.")


def copy_note(lib: Library, report_id: str) -> None:
    """On one report's page: name the other copies of the same body and year, say which one the
    totals count, and let the user count this one instead."""
    kept: dict[str, str] = st.session_state.setdefault(KEEP, {})
    group = lib.duplicates([report_id], keep=tuple(sorted(kept.values())))
    if group.empty:
        return
    others = group[group[REPORT_ID] != report_id]
    counted = bool(group.loc[group[REPORT_ID] == report_id, "counted"].iloc[0])
    names = "、".join(str(x) for x in others["source_name"]) if ui.lang() != "en" else ", ".join(
        str(x) for x in others["source_name"])
    if counted:
        st.info(ui.plain(ui.t(f"同一机关同一年度的报告另有文件：{names}。汇总只计一份：计入的是本文件。",
                              f"The same body's report of this year is also in: {names}. Totals count one "
                              f"copy: this one.")), icon=":material/content_copy:")
        return
    st.warning(ui.plain(ui.t(f"同一机关同一年度的报告另有文件：{names}。汇总只计一份：计入的是另一份（读得更好或您选定的）。",
                             f"The same body's report of this year is also in: {names}. Totals count one copy: "
                             f"the other (better read, or your choice).")), icon=":material/content_copy:")
    if st.button(ui.t("改为计入本文件", "Count this copy instead"), key="count_this_copy"):
        kept[str(group["copy_of"].iloc[0])] = report_id
        st.rerun()
