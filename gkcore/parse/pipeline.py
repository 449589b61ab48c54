"""bytes -> ParsedReport: sniff the kind, read, detect the template, map the tables, read the
metadata and prose figures, run the checks."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from ..errors import (
    CorruptDocx,
    EmptyFile,
    FileTooLarge,
    NotAnnualReport,
    ScanUnreadable,
    TablesNotFound,
    UnsupportedFileType,
    UnsupportedFormat,
    safe_name,
)
from ..model import FLAG_UNSURE, ParsedReport, ReportMeta
from .checks import run_checks
from .limits import Limits
from .meta import identity, is_annual_report, prose_figures
from .normalize import squash
from .outline import outline
from .readers.base import Line, Reader, locate_sections
from .readers.pdf import PdfDoc, Progress
from .readers.text import TextDoc
from .scanchecks import distrust_ocr
from .tables import map_tables
from .template import Template, all_templates
from .version import DOCUMENT_SUFFIXES, PARSER_VERSION  # noqa: F401 — DOCUMENT_SUFFIXES re-exported

_MAGIC = (
    (b"\x89PNG", "PNG 图片 / a PNG image"),
    (b"\xff\xd8\xff", "JPEG 图片 / a JPEG image"),
    (b"GIF8", "GIF 图片 / a GIF image"),
    (b"Rar!", "RAR 压缩包 / a RAR archive"),
    (b"7z\xbc\xaf", "7z 压缩包 / a 7z archive"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A page starts with markup (after a byte-order mark, blanks, an XML declaration or a comment).
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*|<!--.*?-->\s*)*"
                         rb"<(?:!doctype\s+html|html|head|body|meta)\b", re.I | re.S)


def _html(data: bytes) -> Reader:
    from .readers.html import HtmlDoc  # imported when needed: BeautifulSoup and lxml take 0.1 s

    return HtmlDoc(data)


def _docx(data: bytes) -> Reader:
    from .readers.docx import DocxDoc  # python-docx takes 0.2 s to import

    return DocxDoc(data)


def _doc(data: bytes) -> Reader:
    from .readers.docx import DocDoc

    return DocDoc(data)


READERS: dict[str, Callable[[bytes], Reader]] = {
    "pdf": PdfDoc, "html": _html, "docx": _docx, "doc": _doc, "text": TextDoc}


def _zip_kind(data: bytes, name: str) -> str:
    """A .docx is a ZIP archive holding word/document.xml."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        if b"word/document.xml" in data:
            raise CorruptDocx(f"“{name}”") from None
        raise UnsupportedFileType(f"文件“{name}”的内容是 ZIP 压缩包 / a ZIP archive") from None
    if "word/document.xml" in names:
        return "docx"
    what = ("Excel 表格 / an Excel workbook" if "xl/workbook.xml" in names else
            "PowerPoint 演示文稿 / a PowerPoint file" if "ppt/presentation.xml" in names else
            "ZIP 压缩包 / a ZIP archive")
    raise UnsupportedFileType(f"文件“{name}”的内容是 {what}")


def sniff(data: bytes, name: str) -> str:
    """The reader to use, decided by the bytes (the file name only words the message)."""
    if not data:
        raise EmptyFile()
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, name)
    if data.startswith(_OLE):
        if "WordDocument".encode("utf-16-le") in data:
            return "doc"
        raise UnsupportedFileType(f"文件“{name}”的内容是旧版 Excel/PowerPoint（.xls/.ppt）文件 / a legacy Office file")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise UnsupportedFileType(f"文件“{name}”的内容是 {what}")
    if _HTML_START.match(data[:4096]):
        return "html"
    if b"MIME-Version:" in data[:2048] and b"multipart/related" in data[:4096].lower():
        raise UnsupportedFileType(f"“{name}”是单文件网页（.mht），请在浏览器中另存为 .html / a .mht web archive")
    if name.lower().endswith(".pdf"):
        raise UnsupportedFormat(f"文件“{name}”扩展名为 .pdf，但内容不是 PDF / named .pdf but not a PDF")
    if b"\x00" in data[:4096]:
        raise UnsupportedFileType(f"文件“{name}”不是文本、网页、Word 或 PDF / not a document gkcore reads")
    return "text"


def detect_template(lines: list[Line], year: int | None) -> tuple[Template, str]:
    """The format whose markers the report prints most; the year decides only when no marker
    is printed at all (reports for 2019 and 2020 used the 2019 format)."""
    text = "".join(squash(ln.text) for ln in lines)
    templates = all_templates()
    scores = [(sum(m in text for m in t.markers), t) for t in templates]
    best = max(s for s, _ in scores)
    if best > 0:
        winners = [t for s, t in scores if s == best]
        if len(winners) == 1:
            return winners[0], "markers"
    by_year = "2019" if year is not None and year <= 2020 else "2021"
    return next(t for t in templates if t.id == by_year), "year"


def parse_bytes(data: bytes, name: str = "report", progress: Progress | None = None,
                limits: Limits | None = None) -> ParsedReport:
    """Parse one report, in this process. `progress(done, total)` is called for each scanned page
    recognised. The size and page limits hold here (checked before anything is read); the time
    and memory limits need a child process: gkcore.parse.isolate.parse_isolated."""
    limits = limits or Limits.from_env()
    name = safe_name(name)            # it goes into messages and the report's source_name
    if len(data) > limits.max_bytes:
        raise FileTooLarge(len(data), limits.max_bytes)
    kind = sniff(data, name)
    doc = PdfDoc(data, progress, limits.pages) if kind == "pdf" else READERS[kind](data)
    lines = doc.lines
    unread = getattr(doc, "unread_pages", [])
    if not is_annual_report(lines):
        raise ScanUnreadable(unread, f"“{name}”") if unread else NotAnnualReport(f"“{name}”")
    ident = identity(lines)
    template, basis = detect_template(lines, ident.year)
    sections = doc.read_sections(template)
    if not any(s.rows for s in sections.values()):
        raise ScanUnreadable(unread, f"“{name}”") if unread else TablesNotFound(f"“{name}”")
    cells, reports = map_tables(template, sections)
    if all(c.flag == FLAG_UNSURE for c in cells if c.table == "t3"):
        raise TablesNotFound(f"“{name}”：未能读出表三 / table 3 could not be read")
    skip = {i for sp in locate_sections(lines, template) for i in range(sp.start, sp.end)}
    figures = prose_figures(lines, template, skip)
    checks = run_checks(template, cells, figures)
    ocr_pages = getattr(doc, "ocr_pages", [])
    if ocr_pages:
        cells, checks = distrust_ocr(template, cells, figures, checks, set(ocr_pages))
    sha = hashlib.sha256(data).hexdigest()
    meta = ReportMeta(
        report_id=sha[:16], source_name=name, source_kind=kind, agency=ident.agency,
        region=ident.region, region_code=ident.region_code, year=ident.year,
        template=template.id, template_basis=basis, pages=doc.pages, sha256=sha,
        parser_version=PARSER_VERSION, ocr_pages=",".join(map(str, ocr_pages)),
    )
    return ParsedReport(meta, tuple(cells), tuple(figures), tuple(checks), tuple(reports), outline(lines))


def parse_file(path: str | Path) -> ParsedReport:
    p = Path(path)
    return parse_bytes(p.read_bytes(), p.name)
