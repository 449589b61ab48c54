"""数据: the library as a filterable table (one page at a time), downloads (long CSV, wide CSV, Excel, Parquet) and the
data dictionary."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

import ui
from gkcore.model import Status
from gkcore.present.downloads import (
    dictionary_csv_bytes,
    dictionary_frame,
    long_csv_from,
    parquet_bytes,
    wide_csv_bytes,
    wide_flags_csv_bytes,
    xlsx_bytes,
)
from gkcore.present.messages import meanings, units

PAGE = 100              # rows of the list per page

lib = ui.setup("pages/data.py")
st.title(ui.t("数据与下载", "Data and downloads"))
where = ui.report_filter("data")
total, everything = lib.count(where), lib.count()
st.caption(ui.t(f"筛选出 {total} / {everything} 份报告。CSV 为带 BOM 的 UTF-8，可直接用 Excel 打开；"
                "用户更正过的单元格，其标记（flag 列）为“已更正”（导出文件中为代码 corrected）。",
                f"{total} of {everything} reports. CSVs are UTF-8 with BOM (open in Excel); "
                "cells corrected by a user have flag = corrected."))
first = ui.pager("data_page", total, PAGE)
reports = lib.reports(where=where, limit=PAGE, offset=first)       # one page of the list, never every report
ui.table(reports[["agency", "region", "region_code", "year", "template", "pages", Status.FAIL, "unsure_cells",
                  "source_name", "report_id"]], key="library")


def built(make: Callable[[pd.DataFrame, pd.DataFrame], bytes]) -> bytes:
    """A file of every report the filters match, with their cells (run on its button's click)."""
    reps = lib.reports(where=where)
    return make(reps, lib.cells(reps["report_id"].tolist()))


c = st.columns(6)
# every file is built when its button is clicked (a callable), never on a rerun of the page
c[0].download_button(ui.t("长表 CSV（当前筛选）", "Long CSV (filtered)"),
                     lambda: long_csv_from(lib.reports(where=where), lib.cells), "gkdash-long.csv", "text/csv",
                     key="dl_long")
c[1].download_button(ui.t("长表 CSV（全部）", "Long CSV (all)"), lambda: long_csv_from(lib.reports(), lib.cells),
                     "gkdash-long-all.csv", "text/csv", key="dl_long_all")
c[2].download_button(ui.t("宽表 CSV", "Wide CSV"), lambda: built(wide_csv_bytes),
                     "gkdash-wide.csv", "text/csv", key="dl_wide")
c[3].download_button("Excel (.xlsx)", lambda: built(xlsx_bytes), "gkdash.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx")
c[4].download_button("Parquet", lambda: built(parquet_bytes), "gkdash-long.parquet",
                     "application/octet-stream", key="dl_parquet")
c[5].download_button(ui.t("宽表标记 CSV（不确定/已更正）", "Wide flags CSV (unsure/corrected)"),
                     lambda: built(wide_flags_csv_bytes), "gkdash-wide-flags.csv", "text/csv", key="dl_wide_flags")

st.subheader(ui.t("数据字典", "Data dictionary"))
dictionary = dictionary_frame()
ui.table(dictionary.assign(meaning=meanings(dictionary, ui.lang()), unit=units(dictionary, ui.lang())),
         key="dictionary", always=("code",))                                 # the dictionary is about the codes
st.download_button(ui.t("下载数据字典 CSV", "Download the dictionary (CSV)"), dictionary_csv_bytes(),
                   "gkdash-dictionary.csv", "text/csv", key="dl_dict")
