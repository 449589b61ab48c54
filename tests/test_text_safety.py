"""Text from a report or a user is shown as text, never as markup: every page with a hostile
report in the library (agency, file name, ZIP member names and error messages full of HTML,
Markdown, links to javascript: and LaTeX), through Streamlit's AppTest.

Streamlit reads Markdown in titles, subheaders, captions, alerts, labels, help texts and image
captions; Plotly draws a subset of HTML in its titles, ticks, legends and hovers; the review
sheet is an HTML page. For each, the test checks what a reader would see: the Markdown bodies
are unescaped by CommonMark's rule (every ASCII punctuation character may be backslash-escaped
and is then literal; an unescaped one fails the test), Plotly's strings are decoded the way
Plotly decodes them (&lt; &gt; &amp;), and the review sheet is parsed as HTML.
The real browser (no injected element, no dialog) is checked in tests/test_many_sessions.py."""

from __future__ import annotations

import io
import json
import re
import shutil
import string
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from streamlit.testing.v1 import AppTest

from gkcore.library import Library
from gkcore.store.cache import Cache

from .conftest import FIXTURES
from .test_pages import downloads

APP = str(Path(__file__).parent.parent / "app.py")
SAMPLES = Path(__file__).parent.parent / "data" / "samples"
HOSTILE = FIXTURES / "hostile" / "hostile-report.txt"
AGENCY = ('<script>alert(1)</script><img/src="x"/onerror=alert(2)>**加粗**张店区人民政府办公室$x$'
          '[链接](javascript:alert(3))')
LABEL = f"{AGENCY} · 2024"
NAME = "<img src=x onerror=alert(1)> **粗体** [链接](javascript:alert(1)) $x$ ~~删~~.txt"
# What must never reach a Markdown body or a Plotly string unescaped: HTML, emphasis, links,
# LaTeX, strikethrough.
MARKUP = ("<script", "<img", "<i>", "**", "](javascript:", "$x$", "~~")
# Proto fields Streamlit renders as Markdown (alerts, headings, captions: body; widgets and
# metrics: label, help; images: caption; progress: text). Options of a select box are plain text.
MARKDOWN_FIELDS = {"body", "label", "help", "caption", "text"}


def shown(body: str) -> str:
    """What CommonMark shows for a body in which every ASCII punctuation character must be
    backslash-escaped (then it is literal); an unescaped one fails: it could be markup."""
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body) and body[i + 1] in string.punctuation:
            out.append(body[i + 1])
            i += 2
            continue
        assert ch not in string.punctuation, f"unescaped {ch!r} at {i} in {body!r}"
        out.append(ch)
        i += 1
    return "".join(out)


def plotly_shown(text: str) -> str:
    """What Plotly draws for a string: it decodes &lt; &gt; &amp; (and draws <b>, <a>, … as
    markup, which the callers rule out)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _walk(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _strings(msg: Any, field: str = "") -> Iterator[tuple[str, str]]:
    """(field name, text) for every string in a protobuf message, nested ones included."""
    if isinstance(msg, str):
        yield field, msg
        return
    if not hasattr(msg, "ListFields"):
        return
    for desc, value in msg.ListFields():
        single = isinstance(value, (str, bytes, int, float)) or hasattr(value, "ListFields")
        items = [value] if single else list(value)         # a repeated field
        for v in items:
            yield from _strings(v, desc.name)


def texts(at: AppTest) -> tuple[list[str], list[Any]]:
    """Every Markdown string on the page (main area and sidebar) and every Plotly figure."""
    md, figs = [], []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        if getattr(node, "type", "") == "plotly_chart":
            figs.append(json.loads(proto.spec))
            continue
        if hasattr(proto, "body") and str(proto.body).lstrip().startswith(("<div", "<style")):
            _safe_html(str(proto.body))          # st.html (print copies, the source view): HTML, escaped
            continue
        md += [s for f, s in _strings(proto) if f in MARKDOWN_FIELDS]
    return md, figs


# The only tags the dashboard's own HTML (ui.grid's print copy, the source view, the stylesheet) holds.
OWN_TAGS = {"html", "head", "body", "div", "table", "thead", "tbody", "tr", "th", "td", "p", "span", "mark", "style"}


def _safe_html(body: str) -> None:
    """An st.html body: report or user text in it is escaped, so it holds only the app's own tags."""
    tags = {t.name for t in BeautifulSoup(body, "lxml").find_all(True)}
    assert tags <= OWN_TAGS, f"markup in an HTML element: {sorted(tags - OWN_TAGS)}"


def _figure_strings(obj: Any) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            if k != "template":                     # Plotly's own theme, not our text
                yield from _figure_strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _figure_strings(v)


def assert_safe(at: AppTest) -> tuple[list[str], list[str]]:
    """No Markdown body and no Plotly string carries markup; returns what the reader sees."""
    assert not at.exception, [e.message for e in at.exception]
    md, figs = texts(at)
    seen_md = []
    for body in md:
        # a body that holds report or user text (the markup, escaped or not) must escape every
        # ASCII punctuation character: shown() fails on the first one left unescaped
        if any(m in re.sub(r"\\(.)", r"\1", body) for m in MARKUP):
            seen_md.append(shown(body))
    seen_fig = []
    for fig in figs:
        for s in _figure_strings(fig):
            # Plotly reads HTML tags (the hover templates' own <br> and <extra> aside) and, in a
            # string that starts and ends with $, LaTeX; it reads no Markdown
            bare = re.sub(r"</?(?:br|extra)>", "", s)
            assert "<" not in bare and not (len(s) > 1 and s[0] == s[-1] == "$"), f"markup in a figure: {s!r}"
            seen_fig.append(plotly_shown(s))
    return seen_md, seen_fig


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample library plus the hostile report, uploaded under its hostile name."""
    root = tmp_path_factory.mktemp("hostile") / "cache"
    lib = Library(Cache(root))
    lib.ingest_paths(sorted(SAMPLES.iterdir()))
    res = lib.ingest_bytes(HOSTILE.read_bytes(), NAME)
    assert not res.error and lib.reports().set_index("report_id").loc[res.report_id, "agency"] == AGENCY
    return root


@pytest.fixture
def cache(prepared: Path, _isolated_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the prepared library for each test (corrections must not leak)."""
    shutil.copytree(prepared, _isolated_cache)
    monkeypatch.setenv("GK_CACHE_DIR", str(_isolated_cache))
    return _isolated_cache


def hostile_id(root: Path) -> str:
    reps = Library(Cache(root)).reports()
    return str(reps.loc[reps["agency"] == AGENCY, "report_id"].iloc[0])


def start(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_report_page_shows_agency_and_file_name_literally(cache: Path) -> None:
    at = start()
    at.file_uploader(key="upload").set_value([(NAME, HOSTILE.read_bytes(), "text/plain")]).run()
    seen, _ = assert_safe(at)
    assert shown(at.subheader[0].value) == LABEL
    assert f"来源：{NAME}" in shown(at.caption[0].value)
    assert LABEL in seen


def test_error_and_duplicate_messages_show_file_and_member_names_literally(cache: Path) -> None:
    member = "<script>alert(1)</script> **成员** [x](javascript:alert(1)).txt"
    bad_member = "$y$ <img src=x onerror=alert(1)>.pdf"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(member, HOSTILE.read_bytes())
        z.writestr(bad_member, b"not a pdf")
    bad_name = "<b>坏</b> **文件** $z$.pdf"
    at = start()
    at.file_uploader(key="upload").set_value([
        (NAME, HOSTILE.read_bytes(), "text/plain"),
        ("<i>包</i> **zip**.zip", buf.getvalue(), "application/zip"),
        (bad_name, b"%not a pdf", "application/pdf")]).run()
    seen, _ = assert_safe(at)
    errors = [shown(e.value) for e in at.error]
    assert len(errors) == 2
    in_zip = f"<i>包</i> **zip**.zip/{bad_member}"
    assert errors[0].startswith(f"{in_zip}：") and f"“{in_zip}”" in errors[0]
    assert errors[1].startswith(f"{bad_name}：") and f"文件“{bad_name}”扩展名为 .pdf" in errors[1]
    assert [shown(i.value) for i in at.info] == [f"<i>包</i> **zip**.zip/{member} 与 {NAME} 内容相同，已合并。"]
    assert shown(at.subheader[0].value) == LABEL


def test_compare_page_charts_carry_escaped_names(cache: Path) -> None:
    at = start("pages/compare.py")
    rid = hostile_id(cache)
    picker = at.multiselect(key="compare_ids")
    assert LABEL in picker.options                            # options are plain text, not Markdown
    picker.set_value([rid, *[i for i in picker.value if i != rid]][:2]).run()
    _, seen = assert_safe(at)
    assert seen.count(LABEL) >= 2                             # a bar group and a heat-map row
    _md, figs = texts(at)
    heat = next(f for f in figs if f["data"][0]["type"] == "heatmap")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in heat["data"][0]["y"][0]


def test_trends_data_and_quality_pages_with_the_hostile_report(cache: Path) -> None:
    rid = hostile_id(cache)
    at = start("pages/trends.py")
    key = next(k for k in at.selectbox(key="agency_key").options if "<script>" in k)
    at.selectbox(key="agency_key").set_value(key).run()
    assert_safe(at)
    at = start("pages/data.py")
    assert_safe(at)
    assert AGENCY in set(next(d.value for d in at.dataframe if "机关" in d.value.columns)["机关"])
    at = start("pages/quality.py")
    at.selectbox(key="drill").set_value(rid).run()
    assert_safe(at)
    sheet = BeautifulSoup(downloads(at)["dl_review"].decode("utf-8"), "lxml")
    assert not sheet.find_all(["script", "img", "a", "i", "b"])
    assert sheet.h1 is not None and sheet.h1.get_text() == f"{AGENCY} 2024 年政府信息公开工作年度报告 · 审核意见"
    assert sheet.title is not None and sheet.title.get_text() == sheet.h1.get_text()


def test_corrections_with_markup_stay_text(cache: Path) -> None:
    rid = hostile_id(cache)
    reason = "**原因** <img src=x onerror=alert(1)> [x](javascript:alert(1))"
    Library(Cache(cache)).correct(rid, "t4", "review", "total", "3", reason)    # a value must be a number
    at = start()
    at.selectbox(key="report_id").set_value(rid).run()
    assert_safe(at)
    log = next(d.value for d in at.dataframe if "更正原因" in d.value.columns)
    assert (log.iloc[0]["更正为"], log.iloc[0]["更正原因"]) == ("3", reason)
    at.switch_page("pages/quality.py").run()
    at.selectbox(key="drill").set_value(rid).run()
    assert_safe(at)
    sheet = BeautifulSoup(downloads(at)["dl_review"].decode("utf-8"), "lxml")
    assert not sheet.find_all(["script", "img", "a", "i", "b"])


def test_map_page_with_the_hostile_report(cache: Path) -> None:
    """The map's hover texts, its tables and the region filter with a hostile report in the library
    (its region, 山东省淄博市张店区, is drawn; its name only ever reaches a table, as text)."""
    at = start("pages/map.py")
    assert_safe(at)
    at.selectbox(key="map_year").set_value(2024).run()              # the map adds up one year
    assert_safe(at)
    at.selectbox(key="map_region").set_value("370000").run()
    assert_safe(at)
    listed = next(d.value for d in at.dataframe if "年份" in d.value.columns and "名次" not in d.value.columns)
    assert f"{AGENCY} · 2024" in set(listed["报告"])
