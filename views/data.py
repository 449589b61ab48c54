"""数据: the library as a filterable table, downloads (long CSV, wide CSV, Excel, Parquet) and the
data dictionary."""

from __future__ import annotations

import streamlit as st

import ui
from gkcore.present.downloads import (
    dictionary_csv_bytes,
    dictionary_frame,
    long_csv_from,
    parquet_bytes,
    wide_csv_bytes,
    xlsx_bytes,
)

lib = ui.setup()
st.title(ui.t("数据与下载", "Data and downloads"))
everything = lib.reports()
reports = ui.filter_reports(everything, "data")
st.caption(ui.t(f"筛选出 {len(reports)} / {len(everything)} 份报告。CSV 为带 BOM 的 UTF-8，可直接用 Excel 打开；"
                "被用户更正过的单元格 flag 为 corrected。",
                f"{len(reports)} of {len(everything)} reports. CSVs are UTF-8 with BOM (open in Excel); "
                "cells corrected by a user have flag = corrected."))
st.dataframe(reports[["agency", "region", "region_code", "year", "template", "pages", "fail", "unsure",
                      "source_name", "report_id"]], hide_index=True, key="library")
ids = list(reports["report_id"])
c = st.columns(5)
# every file is built when its button is clicked (a callable), never on a rerun of the page
c[0].download_button(ui.t("长表 CSV（当前筛选）", "Long CSV (filtered)"), lambda: long_csv_from(reports, lib.cells),
                     "gkdash-long.csv", "text/csv", key="dl_long")
c[1].download_button(ui.t("长表 CSV（全部）", "Long CSV (all)"), lambda: long_csv_from(everything, lib.cells),
                     "gkdash-long-all.csv", "text/csv", key="dl_long_all")
c[2].download_button(ui.t("宽表 CSV", "Wide CSV"), lambda: wide_csv_bytes(reports, lib.cells(ids)), "gkdash-wide.csv",
                     "text/csv", key="dl_wide")
c[3].download_button("Excel (.xlsx)", lambda: xlsx_bytes(reports, lib.cells(ids)), "gkdash.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx")
c[4].download_button("Parquet", lambda: parquet_bytes(reports, lib.cells(ids)), "gkdash-long.parquet",
                     "application/octet-stream", key="dl_parquet")

st.subheader(ui.t("数据字典", "Data dictionary"))
st.dataframe(dictionary_frame(), hide_index=True, key="dictionary")
st.download_button(ui.t("下载数据字典 CSV", "Download the dictionary (CSV)"), dictionary_csv_bytes(),
                   "gkdash-dictionary.csv", "text/csv", key="dl_dict")
