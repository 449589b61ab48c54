"""Web pages: a report saved as HTML as it was published.

Why BeautifulSoup over lxml rather than the standard library's html.parser: published pages are
often broken (unclosed <td> and <p>, Word's <o:p>, tables inside layout tables), and libxml2's
HTML parser repairs them as browsers do, in about a millisecond for a report; BeautifulSoup
gives a small, typed tree API over it. The bytes are decoded here, not by BeautifulSoup, so
that a page declared gb2312 but using GBK characters reads with GB18030 (its superset).

The visible text becomes one Line per block (title first, then the page in order), so the
metadata and the section headings are read as for any document; every row of a data table
(one with no table inside it) is also one Line, and the cells of the rows inside a section
are that section's raw rows, exact: a blank (&nbsp;) cell stays blank."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PageElement, PreformattedString

from ...errors import EmptyWebPage
from ..template import Template
from ..title import title_text
from .base import METHOD_HTML, Line, RawRow, Section, Unpaged
from .grid import GridCell, expand_spans, grid_row
from .lines import arrange, read_line_sections

_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed",
                   "svg", "canvas", "select", "button", "input", "textarea", "map", "audio", "video"})
_BLOCKS = frozenset({"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div",
                     "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
                     "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section",
                     "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"})
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)|<\?xml[^>]+encoding\s*=\s*["']([-\w.:]+)""", re.I)
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "csgb2312", "chinese", "euc-cn", "gb18030"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000\u2002\u2003\u200b]+")
_NEWLINES = re.compile(r"\s*\n\s*")


def decode_html(data: bytes) -> str:
    """The page's text: UTF-8 when the bytes are valid UTF-8 (a page saved by a browser is,
    whatever its <meta> still says), else the declared charset (any GB charset read as
    GB18030), else GB18030; undecodable bytes become U+FFFD rather than losing the page."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(data[:8192])
    declared = (m.group(1) or m.group(2)).decode("ascii", "replace").lower() if m else ""
    enc = "gb18030" if declared in _GB or not declared else declared
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return data.decode("gb18030", errors="replace")


def _hidden(tag: Tag) -> bool:
    style = tag.get("style")
    return tag.has_attr("hidden") or (isinstance(style, str) and bool(_HIDDEN.search(style)))


def _span(tag: Tag, name: str) -> int:
    """colspan/rowspan as a number ≥ 1; an absurdly long one is merely large (grid.py caps it)."""
    m = re.match(r"\s*0*(\d{1,9})(\d*)", str(tag.get(name) or ""))
    if not m:
        return 1
    return 10**9 if m.group(2) else max(int(m.group(1)), 1)


def _walk(node: Tag, on_text: Callable[[str], object], on_tag: Callable[[Tag], bool | None],
          on_end: Callable[[], object]) -> None:
    """The visible content below `node` in document order, with an explicit stack, not recursion
    (markup may nest thousands of tags deep): `on_text` for each string, `on_tag` for each visible
    tag (it answers None: do not enter it; False: enter it inline; True: enter it as a block),
    `on_end` after a block's last child. Comments, CDATA, doctypes, scripts and hidden tags are
    passed over."""
    stack: list[tuple[Iterator[PageElement], bool]] = [(iter(node.children), False)]
    while stack:
        children, block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if block:
                on_end()
        elif isinstance(child, PreformattedString):  # comments, CDATA, doctype
            continue
        elif isinstance(child, NavigableString):
            on_text(str(child))
        elif isinstance(child, Tag) and child.name not in _SKIP and not _hidden(child):
            into = on_tag(child)
            if into is not None:
                stack.append((iter(child.children), into))


def _cell_text(tag: Tag) -> str:
    """A cell's text, its lines (<br>, <p>, line breaks in the source) joined by "\\n"."""
    parts: list[str] = []

    def enter(child: Tag) -> bool:
        inner = child.name in _BLOCKS or child.name == "br"
        if inner:
            parts.append("\n")
        return inner

    _walk(tag, parts.append, enter, lambda: parts.append("\n"))
    text = _NEWLINES.sub("\n", _SPACES.sub(" ", "".join(parts)))
    return "\n".join(ln.strip() for ln in text.split("\n") if ln.strip())


def _holding_tables(root: Tag) -> set[int]:
    """The ids of the elements with a <table> inside them, in one pass (bs4's find() from every
    table is quadratic in the depth of markup nested thousands of tables deep)."""
    out: set[int] = set()
    for el in reversed(list(root.descendants)):
        if isinstance(el, Tag) and (el.name == "table" or id(el) in out) and el.parent is not None:
            out.add(id(el.parent))
    return out


class _Page:
    """Walks the body: text blocks to lines, data tables to lines and raw rows."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.rows: dict[int, RawRow] = {}
        self._buf: list[str] = []
        self._outer: set[int] = set()         # tables holding tables (layout, not data)

    def flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self._buf)).strip()
        self._buf = []
        for ln in text.split("\n"):
            if ln.strip():
                self.lines.append(Line(ln.strip()))

    def walk(self, node: Tag) -> None:
        self._outer = _holding_tables(node)
        _walk(node, lambda text: self._buf.append(_SPACES.sub(" ", text.replace("\n", " "))), self._enter,
              self.flush)

    def _enter(self, child: Tag) -> bool | None:
        if child.name == "br":
            self._buf.append("\n")
            return None
        if child.name == "table" and id(child) not in self._outer:
            self.flush()
            self.table(child)
            return None
        if child.name in _BLOCKS:
            self.flush()
            return True
        return False

    def table(self, table: Tag) -> None:
        caption = table.find("caption")
        if isinstance(caption, Tag) and (text := _SPACES.sub(" ", caption.get_text(" ")).strip()):
            self.lines.append(Line(text))
        cells = [[GridCell(_cell_text(td), _span(td, "colspan"), _span(td, "rowspan"))
                  for td in tr.find_all(["td", "th"], recursive=False)] for tr in table.find_all("tr")]
        for slots in expand_spans(cells):
            line, raw = grid_row(slots)
            if line:
                self.rows[len(self.lines)] = raw
                self.lines.append(Line(line))


def _title(soup: BeautifulSoup) -> str:
    """The report's title from <h1> or <title> (a site name after it does not matter)."""
    for tag in [*soup.find_all("h1"), soup.find("title")]:
        if isinstance(tag, Tag):
            text = _SPACES.sub(" ", tag.get_text(" ")).strip()
            if text and title_text([Line(text)]):
                return text
    return ""


class HtmlDoc(Unpaged):
    kind = "html"

    def __init__(self, data: bytes) -> None:
        soup = BeautifulSoup(decode_html(data), "lxml")
        page = _Page()
        page.walk(soup.body if soup.body is not None else soup)
        page.flush()
        if not page.lines:
            frames = soup.find_all(["frame", "iframe"])
            raise EmptyWebPage("框架页 / a frameset page" if frames else "")
        # The title first: saved pages put a site banner, navigation or a metadata table (名称,
        # 索引号, 发布机构) before it, and the metadata reads the title from the first lines.
        title = [Line(t)] if (t := _title(soup)) else []
        self.lines, self._rows = arrange(title + page.lines, {i + len(title): r for i, r in page.rows.items()})

    def read_sections(self, template: Template) -> dict[str, Section]:
        return read_line_sections(self.lines, self._rows, template, METHOD_HTML)
