"""政务公开年报看板 — placeholder page until the dashboard lands: the sample library and an
uploader that parses a report and shows its cells and checks. No parsing logic lives here."""

from __future__ import annotations

import streamlit as st

import gkcore
from gkcore.export import long_frame

st.set_page_config(page_title="政务公开年报看板", layout="wide")
st.title("政务公开年报看板")
st.caption("政府信息公开工作年度报告 → 规范数据（完整看板即将推出）")

cache = gkcore.Cache()
reports = cache.frame("report")
st.subheader(f"报告库（{len(reports)} 份）")
st.dataframe(reports[["agency", "region", "region_code", "year", "template", "pages", "source_name"]],
             hide_index=True)

files = st.file_uploader("上传年度报告（PDF 或 TXT）", type=["pdf", "txt"], accept_multiple_files=True,
                         key="upload")
for f in files or []:
    try:
        report, _ = gkcore.load_or_parse(f.getvalue(), f.name, cache)
    except gkcore.GkError as exc:
        st.error(f"{f.name}：{exc.message}")
        continue
    m = report.meta
    st.subheader(f"{m.agency} · {m.year} 年（{m.template} 格式）")
    checks = gkcore.checks_frame([report])
    st.metric("未通过的校验", int((checks["status"] != "pass").sum()))
    st.dataframe(checks[checks["status"] != "pass"][["rule", "scope", "status", "message"]], hide_index=True)
    st.dataframe(long_frame(gkcore.reports_frame([report]), gkcore.cells_frame([report])), hide_index=True)
