"""政务公开年报看板: page set-up and navigation. No parsing or computation here.

The pages live in views/, not pages/: Streamlit treats a folder named pages/ as its legacy
multipage app, and the first run after a start (and every AppTest run) then executes the
requested page without this script — no wide layout, a sidebar listing file names."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="政务公开年报看板", page_icon=":material/bar_chart:", layout="wide")
# Page titles stay Chinese in both languages: the pages' own headings follow the switch (a
# title that changed with the language would change the page's identity mid-session).
pages = [
    st.Page("views/report.py", title="报告", icon=":material/description:", default=True),
    st.Page("views/compare.py", title="对比", icon=":material/compare_arrows:"),
    st.Page("views/trends.py", title="趋势", icon=":material/trending_up:"),
    st.Page("views/data.py", title="数据", icon=":material/table_view:"),
    st.Page("views/quality.py", title="校验", icon=":material/fact_check:"),
]
st.navigation(pages).run()
