"""The one Streamlit-aware helper module: the shared library, the language switch, uploads and
report pickers, and how errors are shown. Pages import it; gkcore never does."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from gkcore.library import Library
from gkcore.model.metrics import BY_CODE
from gkcore.parse.pipeline import DOCUMENT_SUFFIXES
from gkcore.present.compare import labels
from gkcore.store.cache import Cache

ROOT = Path(__file__).resolve().parent
SAMPLES = ROOT / "data" / "samples"
UPLOAD_TYPES = [s.lstrip(".") for s in DOCUMENT_SUFFIXES] + ["zip"]


# Every ASCII punctuation character (CommonMark lets each be backslash-escaped, and then it is
# a literal character: no emphasis, link, HTML, LaTeX, colour directive or heading), and the
# control characters, shown as their Unicode pictures (a line break would start a new block).
_MD_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def plain(text: object) -> str:
    """Text from a report or a user (agency, file name, a message naming a file) for the st.*
    calls that read Markdown (title, subheader, caption, info, error, …): every character is
    shown as it is, never as markup."""
    s = _CONTROL.sub(lambda m: "\u2421" if m.group() == "\x7f" else chr(0x2400 + ord(m.group())), str(text))
    return _MD_PUNCT.sub(r"\\\1", s)


def lang() -> str:
    return str(st.session_state.get("lang", "zh"))


def t(zh: str, en: str) -> str:
    """Chinese first; English when the user switched."""
    return en if lang() == "en" else zh


def language_switch() -> None:
    choice = st.sidebar.radio("语言 / Language", ["中文", "English"], horizontal=True, key="lang_choice")
    st.session_state["lang"] = "en" if choice == "English" else "zh"


@st.cache_resource
def _library(root: str) -> Library:
    return Library(Cache(root))


def library() -> Library:
    return _library(str(Cache().root))


def setup() -> Library:
    """What every page starts with: the language switch, the sample library, the library."""
    language_switch()
    st.sidebar.caption(t("政府信息公开工作年度报告 → 规范数据", "Disclosure annual reports → clean data"))
    ensure_samples()
    return library()


def ensure_samples() -> None:
    """Ingest the bundled sample reports on first start (cache hits afterwards), with progress."""
    lib = library()
    files = sorted(p for p in SAMPLES.iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES) if SAMPLES.is_dir() else []
    if st.session_state.get("samples_done") == len(files):
        return
    known = set(lib.reports()["source_name"]) if not lib.reports().empty else set()
    todo = [p for p in files if p.name not in known]
    if todo:
        bar = st.progress(0.0, text=t("正在导入示例报告…", "Importing the sample reports…"))
        def step(i: int, n: int, name: str) -> None:
            bar.progress(i / n, text=plain(f"{name} ({i}/{n})"))

        lib.ingest_paths(todo, step)
        bar.empty()
    st.session_state["samples_done"] = len(files)


def upload(key: str) -> list[str]:
    """The uploader: every file (and every report inside a ZIP archive) is parsed or found in the
    cache; a bad file gets one clear message and the others still load; scanned pages show OCR
    progress. Returns the report ids that loaded."""
    files = st.file_uploader(t("上传年度报告（PDF、网页、Word、文本或 ZIP 压缩包，可多选）",
                               "Upload annual reports (PDF, web page, Word, text, or a ZIP of them)"),
                             type=UPLOAD_TYPES, accept_multiple_files=True, key=key)
    ids: list[str] = []
    seen: dict[str, str] = {}
    bar = None

    def ocr_progress(i: int, n: int) -> None:
        nonlocal bar
        bar = bar or st.progress(0.0)
        bar.progress(i / n, text=t(f"正在识别扫描页 {i}/{n}…", f"Recognising scanned page {i}/{n}…"))

    for f in files or []:
        for res in library().ingest_upload(f.getvalue(), f.name, seen, ocr_progress):
            if res.error:
                st.error(plain(f"{res.name}：{res.error}"))
            elif res.duplicate_of:
                st.info(plain(t(f"{res.name} 与 {res.duplicate_of} 内容相同，已合并。",
                                f"{res.name} has the same bytes as {res.duplicate_of}: counted once.")))
            else:
                ids.append(res.report_id)
    if bar is not None:
        bar.empty()
    return ids


def report_names() -> dict[str, str]:
    reps = library().reports()
    return labels(reps) if not reps.empty else {}


def pick_report(key: str, preferred: str | None = None) -> str | None:
    names = report_names()
    if not names:
        st.info(t("报告库为空：请上传报告。", "The library is empty: upload a report."))
        return None
    ids = list(names)
    if preferred in names and st.session_state.get(f"{key}_last_upload") != preferred:
        st.session_state[key] = preferred           # a fresh upload becomes the shown report
        st.session_state[f"{key}_last_upload"] = preferred
    return st.selectbox(t("选择报告（含示例报告）", "Choose a report (samples included)"), ids,
                        format_func=names.__getitem__, key=key)


def filter_reports(reports: pd.DataFrame, key: str) -> pd.DataFrame:
    """Year, region and agency filters in one row."""
    c1, c2, c3 = st.columns(3)
    years = sorted(int(y) for y in reports["year"].dropna().unique())
    hint = t("全部", "All")
    ys = c1.multiselect(t("年份", "Year"), years, key=f"{key}_years", placeholder=hint)
    regions = sorted(str(r) for r in reports["region"].unique() if r)
    rs = c2.multiselect(t("地区", "Region"), regions, key=f"{key}_regions", placeholder=hint)
    q = c3.text_input(t("机关名称包含", "Agency contains"), key=f"{key}_agency")
    out = reports
    if ys:
        out = out[out["year"].isin(ys)]
    if rs:
        out = out[out["region"].isin(rs)]
    if q:
        out = out[out["agency"].str.contains(q, regex=False)]
    return out


def rate_columns(codes: list[str], labels: dict[str, str]) -> dict[str, Any]:
    """Column formats for st.dataframe: rates as percentages, counts as integers."""
    return {labels.get(c, c): st.column_config.NumberColumn(labels.get(c, c), format="percent" if BY_CODE[c].is_rate
                                                            else "%d") for c in codes if c in BY_CODE}


def pct(v: float | None) -> str:
    return "—" if v is None or pd.isna(v) else f"{v:.1%}"


def num(v: float | None) -> str:
    return "—" if v is None or pd.isna(v) else f"{v:,.0f}"
