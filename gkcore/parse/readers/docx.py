"""Word files: .docx read with python-docx; legacy .doc converted to .docx by LibreOffice first.

The body's XML is walked in document order, so each table sits between the headings around it:
every paragraph gives a Line, every table row a Line and a raw row whose cells are exactly the
printed cells (a blank cell stays blank). Merges are read from the XML (w:gridSpan, w:vMerge)
rather than from python-docx's `row.cells`, which repeats a merged cell's text in every column
and row it covers: a horizontally merged value is counted once, and a vertically merged label
lends its text to the rows it covers without making rows of its own."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from ...errors import CorruptDocx, LegacyWordConversionFailed, LegacyWordNeedsConversion, NotAnnualReport
from ..template import Template
from .base import METHOD_DOCX, Line, RawRow, Section, Unpaged
from .grid import Slot, grid_row
from .lines import arrange, read_line_sections

CONVERT_TIMEOUT = 120.0           # seconds LibreOffice may take for one .doc (about 2 s usually)
_P, _TBL, _TR, _TC, _SDT = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt")
_T, _TAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_VAL = qn("w:val")


def _text(el: Any) -> str:
    """The text of a paragraph or cell: runs, tabs as spaces, line breaks as "\\n"."""
    parts = []
    for node in el.iter(_T, _TAB, _BR, _CR, _P):
        if node.tag == _T:
            parts.append(node.text or "")
        elif node.tag == _TAB:
            parts.append(" ")
        elif node.tag == _P and parts:
            parts.append("\n")            # a new paragraph inside a cell
        elif node.tag in (_BR, _CR):
            parts.append("\n")
    return "".join(parts)


def _children(el: Any) -> list[Any]:
    """Block children, content controls (w:sdt) opened."""
    out = []
    for child in el.iterchildren():
        if child.tag == _SDT:
            content = child.find(qn("w:sdtContent"))
            out.extend(_children(content) if content is not None else [])
        else:
            out.append(child)
    return out


def _int(el: Any, path: str, default: int) -> int:
    node = el.find(path)
    try:
        return max(int(node.get(_VAL)), 0) if node is not None else default
    except (TypeError, ValueError):
        return default


def _grid(tbl: Any) -> list[list[Slot]]:
    """The table's positions row by row: w:gridSpan widens a cell, a w:vMerge without
    "restart" continues the cell above in the same column."""
    grid: list[list[Slot]] = []
    above: dict[int, Slot] = {}           # grid column -> the slot there in the row above
    ident = 0
    for tr in (c for c in _children(tbl) if c.tag == _TR):
        row: list[Slot] = []
        col = _int(tr, f"{qn('w:trPr')}/{qn('w:gridBefore')}", 0)
        here: dict[int, Slot] = {}
        for tc in (c for c in _children(tr) if c.tag == _TC):
            span = min(max(_int(tc, f"{qn('w:tcPr')}/{qn('w:gridSpan')}", 1), 1), 100)
            vmerge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
            start = above.get(col)
            if vmerge is not None and vmerge.get(_VAL) in (None, "continue") and start is not None:
                slot = Slot(start.cell, start.text, True)
            else:
                slot = Slot(ident, "\n".join(ln.strip() for ln in _text(tc).splitlines() if ln.strip()))
                ident += 1
            for c in range(col, col + span):
                here[c] = slot
                row.append(slot)
            col += span
        above = here
        grid.append(row)
    return grid


def _walk(container: Any, lines: list[Line], rows: dict[int, RawRow]) -> None:
    """Paragraphs to lines, tables to lines and raw rows, in document order. A table holding
    tables is a layout table (the whole report in a frame): its cells are read as the body."""
    for el in _children(container):
        if el.tag == _P:
            lines.extend(Line(ln.strip()) for ln in _text(el).split("\n") if ln.strip())
        elif el.tag == _TBL and any(t is not el for t in el.iter(_TBL)):
            for tr in (c for c in _children(el) if c.tag == _TR):
                for tc in (c for c in _children(tr) if c.tag == _TC):
                    _walk(tc, lines, rows)
        elif el.tag == _TBL:
            for slots in _grid(el):
                line, raw = grid_row(slots)
                if line:
                    rows[len(lines)] = raw
                    lines.append(Line(line))


def _open(data: bytes) -> Any:
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zip, KeyError, XML and package errors alike
        raise CorruptDocx(type(exc).__name__) from None


class DocxDoc(Unpaged):
    kind = "docx"

    def __init__(self, data: bytes) -> None:
        lines: list[Line] = []
        rows: dict[int, RawRow] = {}
        _walk(_open(data).element.body, lines, rows)
        if not lines:
            raise NotAnnualReport("Word 文件没有文字 / the Word file has no text")
        self.lines, self._rows = arrange(lines, rows)

    def read_sections(self, template: Template) -> dict[str, Section]:
        return read_line_sections(self.lines, self._rows, template, METHOD_DOCX)


def convert_doc(data: bytes, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """A legacy .doc converted to .docx by LibreOffice, in a private temporary folder (its own
    user profile, so a running LibreOffice or a stale lock does not interfere)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise LegacyWordNeedsConversion()
    with tempfile.TemporaryDirectory(prefix="gk-doc-") as tmp:
        src = Path(tmp) / "report.doc"
        src.write_bytes(data)
        cmd = [soffice, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless",
               "--norestore", "--convert-to", "docx", "--outdir", str(Path(tmp) / "out"), str(src)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=timeout, check=False, cwd=tmp)
        except subprocess.TimeoutExpired:
            raise LegacyWordConversionFailed(f"LibreOffice 超过 {timeout:.0f} 秒 / timed out") from None
        except OSError as exc:
            raise LegacyWordConversionFailed(str(exc)) from None
        out = Path(tmp) / "out" / "report.docx"
        if not out.exists() or out.stat().st_size == 0:
            raise LegacyWordConversionFailed()
        return out.read_bytes()


class DocDoc(DocxDoc):
    """A legacy .doc, read through its .docx conversion."""

    kind = "doc"

    def __init__(self, data: bytes) -> None:
        super().__init__(convert_doc(data))
