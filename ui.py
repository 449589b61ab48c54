"""The one Streamlit-aware helper module: page set-up and the sidebar navigation, the shared
library, the language switch, uploads and report pickers, and how errors are shown. Pages import
it; gkcore never does.

The dashboard is Streamlit's native multipage app: `app.py` is the landing page (报告) and every
other page is a script in `pages/`, whose file name is its URL (`pages/compare.py` is /compare).
Streamlit's own sidebar list of file names is switched off (`client.showSidebarNavigation = false`
in .streamlit/config.toml) and `setup()` draws the navigation instead, with `st.page_link` and
labels in the chosen language. Every page calls `setup()` first, so a page's URL opened as the
very first request after a start shows the same layout and navigation as one reached by a link."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

import signin
from gkcore.library import Filter, Library
from gkcore.parse.pipeline import DOCUMENT_SUFFIXES
from gkcore.present.labels import for_display, metric_text
from gkcore.present.placenames import region_name
from gkcore.store.cache import Cache
from uistyle import IMAGE_FORMATS, chart_config, print_copy, stylesheet

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


def kept(key: str, default: Any = None, cast: Callable[[str], Any] = str,
         allowed: Sequence[Any] | None = None) -> Any:
    """A choice kept in the URL's query parameters: a reload or a link opened in another browser
    shows the same view. Call it before the widget `key` is drawn (pass the widget no default).
    The value is the session's (the widget's, or the last this session had), else the URL's,
    else `default`; values not in `allowed` are dropped (a link to a report this library lacks).
    A list default makes a list choice (repeated parameters: ?cmp_years=2023&cmp_years=2024)."""
    mine: dict[str, Any] = st.session_state.setdefault("_kept", {})
    many = isinstance(default, list)
    if key in st.session_state:
        value = st.session_state[key]
    elif key in mine:
        value = mine[key]
    elif key in st.query_params:
        try:
            value = [cast(v) for v in st.query_params.get_all(key)] if many else cast(st.query_params[key])
        except ValueError:
            value = default
    else:
        value = default
    if allowed is not None:
        ok = list(allowed)
        value = [v for v in value if v in ok] if many else (value if value in ok else default)
    if value is None:
        st.session_state.pop(key, None)         # a selectbox without a value shows its first option
    else:
        # written on every run, unchanged or not: the write is what pushes the value to the browser,
        # and a value chosen elsewhere (an upload, a link, the language switch redrawing a widget)
        # reaches it only so (writing only changes left the browser's stale choice to come back)
        st.session_state[key] = mine[key] = value
    if value is None or value == [] or value == "":
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = [str(v) for v in value] if many else str(value)
    return value


@dataclass(frozen=True)
class Page:
    path: str             # relative to app.py, as st.page_link takes it
    zh: str
    en: str
    icon: str


# The navigation, in order: 报告 is app.py, the landing page.
PAGES: tuple[Page, ...] = (
    Page("app.py", "报告", "Report", ":material/description:"),
    Page("pages/compare.py", "对比", "Compare", ":material/compare_arrows:"),
    Page("pages/map.py", "地图", "Map", ":material/map:"),
    Page("pages/trends.py", "趋势", "Trends", ":material/trending_up:"),
    Page("pages/data.py", "数据", "Data", ":material/table_view:"),
    Page("pages/quality.py", "校验", "Checks", ":material/fact_check:"),
    Page("pages/assess.py", "评估", "Assessment", ":material/grading:"),
)
_LANGS = {"中文": "zh", "English": "en"}


def _chosen_language() -> None:
    st.session_state["lang"] = _LANGS[str(st.session_state["lang_choice"])]


def _chosen_codes() -> None:
    st.session_state["codes"] = bool(st.session_state["codes_choice"])


def _chosen_image() -> None:
    st.session_state["img"] = str(st.session_state["img_choice"])


def show_codes() -> bool:
    """Whether the user asked to see the canonical codes beside the labels."""
    return bool(st.session_state.get("codes", False))


def language_switch() -> None:
    # A page's widgets are dropped when another page runs, so the choice is kept under "lang"
    # (set by the switch's callback) and handed back to the switch on every page.
    st.session_state["lang_choice"] = "English" if lang() == "en" else "中文"
    st.sidebar.radio("语言 / Language", list(_LANGS), horizontal=True, key="lang_choice", on_change=_chosen_language)
    st.session_state["codes_choice"] = show_codes()
    st.sidebar.toggle(t("显示代码", "Show codes"), key="codes_choice", on_change=_chosen_codes,
                      help=t("在名称旁显示规范代码（导出文件始终使用代码）。",
                             "Show the canonical codes beside the names (exports always use the codes)."))
    st.session_state["img_choice"] = image_format()
    st.sidebar.radio(t("图表下载格式（图表工具栏的相机）", "Chart image format (a chart's camera)"),
                     IMAGE_FORMATS, horizontal=True, key="img_choice", on_change=_chosen_image,
                     format_func=str.upper)


def image_format() -> str:
    return str(st.session_state.get("img", "png"))


def chart(fig: Any, key: str, name: str = "gkdash", **kwargs: Any) -> Any:
    """st.plotly_chart with Plotly's own toolbar (PNG or SVG export, drawn offline by the
    browser) in the user's language."""
    return st.plotly_chart(fig, key=key, config=chart_config(image_format(), lang(), name), **kwargs)


def navigation() -> None:
    """The sidebar's page links, in the chosen language."""
    with st.sidebar:
        for p in PAGES:
            st.page_link(p.path, label=t(p.zh, p.en), icon=p.icon)


@st.cache_resource
def _library(root: str) -> Library:
    return Library(Cache(root))


def library() -> Library:
    """The library the pages query: in accounts mode, the signed-in user's guarded one (signin.py)."""
    return signin.library(_library(str(Cache().root)))


def may(role: str) -> bool:
    """Whether the visitor holds this role (always on a single-user dashboard; see signin.py)."""
    return signin.may(role, _library(str(Cache().root)))


def setup(page: str) -> Library:
    """What every page starts with (`page` is its path, as in PAGES): the page's configuration,
    the language switch, the navigation, the sample library; returns the library."""
    me = next(p for p in PAGES if p.path == page)
    kept("lang", "zh", allowed=list(_LANGS.values()))          # in the URL: a link keeps its language
    kept("codes", False, cast=lambda v: v == "True", allowed=[True, False])
    kept("img", "png", allowed=list(IMAGE_FORMATS))
    st.set_page_config(page_title=t(f"{me.zh} · 政务公开年报看板", f"{me.en} · Disclosure reports"),
                       page_icon=":material/bar_chart:", layout="wide")
    signin.gate(_library(str(Cache().root)))    # accounts mode: nothing but the sign-in until signed in
    st.html(stylesheet(lang()))
    navigation()                # the callback of the switch already ran: labels follow it
    language_switch()
    st.sidebar.caption(t("政府信息公开工作年度报告 → 规范数据", "Disclosure annual reports → clean data"))
    signin.sidebar(_library(str(Cache().root)), page)
    if not signin.on():         # an office's server holds what its admins ingest (docs/deploy.md)
        ensure_samples()
    return library()


def ensure_samples() -> None:
    """Ingest the bundled sample reports on first start (cache hits afterwards), with progress."""
    slot = st.empty()       # always drawn, so the elements below keep their places from run to run
    lib = library()
    files = sorted(p for p in SAMPLES.iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES) if SAMPLES.is_dir() else []
    if st.session_state.get("samples_done") == len(files):
        return
    known = lib.known_sources([p.name for p in files])
    todo = [p for p in files if p.name not in known]
    if todo:
        bar = slot.progress(0.0, text=t("正在导入示例报告…", "Importing the sample reports…"))
        def step(i: int, n: int, name: str) -> None:
            bar.progress(i / n, text=plain(f"{name} ({i}/{n})"))

        lib.ingest_paths(todo, step)
        bar.empty()
    st.session_state["samples_done"] = len(files)


def report_filter(key: str) -> Filter:
    """Year, region and agency filters in one row: which reports a page lists (a query on the
    library's index, never a frame of every report)."""
    lib = library()
    c1, c2, c3 = st.columns(3)
    hint = t("全部", "All")
    years = [int(str(y)) for y in lib.choices("year")]
    regions = [str(r) for r in lib.choices("region")]
    kept(f"{key}_years", [], int, years)
    kept(f"{key}_regions", [], str, regions)
    kept(f"{key}_agency", "")
    ys = c1.multiselect(t("年份", "Year"), years, key=f"{key}_years", placeholder=hint, select_all=lang() == "en")
    rs = c2.multiselect(t("地区", "Region"), regions, key=f"{key}_regions", placeholder=hint,
                        format_func=lambda r: region_name(r, lang()), select_all=lang() == "en")
    q = c3.text_input(t("机关名称包含", "Agency contains"), key=f"{key}_agency")
    return Filter(years=tuple(ys), regions=tuple(rs), agency=q)


def found(where: Filter, shown: int) -> None:
    """Say so when a search offers only the first of more reports."""
    total = library().count(where)
    if total > shown:
        st.caption(t(f"共 {total:,} 份报告符合条件，只列出前 {shown} 份：请用年份、地区或机关名称缩小范围。",
                     f"{total:,} reports match; the first {shown} are listed: narrow by year, region or agency."))


def pick_report(key: str, preferred: str | None = None) -> str | None:
    """A search (year, region, agency) and a picker of at most SEARCH_MAX (Library.search) of the
    reports found;
    the report shown stays offered, and a fresh upload becomes the shown report."""
    lib = library()
    if lib.count() == 0:
        st.info(t("报告库为空：请上传报告。", "The library is empty: upload a report."))
        return None
    where = report_filter(key)
    kept(key, None)                                  # the report shown, in the URL
    names = lib.search(where)
    offered = len(names)
    fresh = preferred is not None and st.session_state.get(f"{key}_last_upload") != preferred
    if fresh and lib.names([str(preferred)]):
        st.session_state[key] = preferred           # a fresh upload becomes the shown report
        st.session_state[f"{key}_last_upload"] = preferred
    current = st.session_state.get(key)
    names = {**lib.names([str(current)]), **names} if current is not None and current not in names else names
    if current is not None and current not in names:     # a link to a report this library lacks
        del st.session_state[key]
    if not names:
        st.info(t("没有符合条件的报告。", "No report matches."))
        return None
    found(where, offered)
    return st.selectbox(t("选择报告（含示例报告）", "Choose a report (samples included)"), list(names),
                        format_func=names.__getitem__, key=key)


def pager(key: str, total: int, size: int) -> int:
    """Which page of a long list (a page number when there is more than one page): the offset."""
    pages = max(1, -(-total // size))
    if pages == 1:
        return 0
    c1, c2 = st.columns([1, 3])
    kept(key, 1, int, range(1, pages + 1))
    page = int(c1.number_input(t("页", "Page"), min_value=1, max_value=pages, step=1, key=key))
    first = (page - 1) * size
    c2.caption(t(f"第 {first + 1:,}–{min(first + size, total):,} 项，共 {total:,} 项（{pages:,} 页）",
                 f"{first + 1:,}–{min(first + size, total):,} of {total:,} ({pages:,} pages)"))
    return first


def display(df: pd.DataFrame, reasons: pd.DataFrame | None = None, always: tuple[str, ...] = ()) -> pd.DataFrame:
    """A frame as shown to users (gkcore.present.labels.for_display in the chosen language)."""
    return for_display(df, lang(), show_codes(), reasons, always)


def table(df: pd.DataFrame, key: str, reasons: pd.DataFrame | None = None, hide_index: bool = True,
          always: tuple[str, ...] = (), **kwargs: Any) -> Any:
    """st.dataframe of a frame as shown to users: headers and coded values in the chosen
    language, code-only columns only with show codes, missing values as "—" (gkcore's labels)."""
    return grid(display(df, reasons, always), key, hide_index=hide_index, **kwargs)


def grid(shown: pd.DataFrame, key: str, hide_index: bool = True, **kwargs: Any) -> Any:
    """st.dataframe (a canvas: it prints clipped) and its HTML copy that only print shows
    (uistyle.print_copy); returns the selection with on_select."""
    got = st.dataframe(shown, hide_index=hide_index, key=key, **kwargs)
    st.html(print_copy(shown, hide_index))
    return got


def figure(metrics_row: pd.Series, code: str) -> str:
    """One figure of a report as shown (a percentage, a count, or "—" with its reason)."""
    return metric_text(metrics_row, code, lang())
