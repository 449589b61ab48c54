"""bytes -> ParsedReport: sniff the kind, read, detect the template, map the tables, read the
metadata and prose figures, run the checks."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .checks import check_prose, check_rules
from .errors import EmptyFile, NotAnnualReport, TablesNotFound, UnsupportedFormat
from .meta import identity, is_annual_report, prose_figures
from .model import FLAG_UNSURE, ParsedReport, ReportMeta
from .normalize import squash
from .readers.base import Line, locate_sections
from .readers.pdf import PdfDoc
from .readers.text import TextDoc
from .tables import map_tables
from .template import Template, all_templates

PARSER_VERSION = "1"

_MAGIC = (
    (b"\x89PNG", "PNG 图片 / a PNG image"),
    (b"\xff\xd8\xff", "JPEG 图片 / a JPEG image"),
    (b"GIF8", "GIF 图片 / a GIF image"),
    (b"PK\x03\x04", "ZIP 压缩包或 Word（.docx）文件 / a ZIP archive or Word (.docx) file"),
    (b"\xd0\xcf\x11\xe0", "旧版 Word/Excel（.doc/.xls）文件 / a legacy Word/Excel file"),
    (b"Rar!", "RAR 压缩包 / a RAR archive"),
)


def sniff(data: bytes, name: str) -> str:
    """The reader to use, decided by the bytes (the file name only words the message)."""
    if not data:
        raise EmptyFile()
    if b"%PDF-" in data[:1024]:
        return "pdf"
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise UnsupportedFormat(f"文件“{name}”的内容是 {what}")
    head = data[:4096].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        raise UnsupportedFormat("网页（HTML）格式的支持即将推出 / HTML support is coming")
    if name.lower().endswith(".pdf"):
        raise UnsupportedFormat(f"文件“{name}”扩展名为 .pdf，但内容不是 PDF / named .pdf but not a PDF")
    if b"\x00" in data[:4096]:
        raise UnsupportedFormat(f"文件“{name}”不是文本或 PDF / neither text nor PDF")
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


def parse_bytes(data: bytes, name: str = "report") -> ParsedReport:
    kind = sniff(data, name)
    doc: PdfDoc | TextDoc = PdfDoc(data) if kind == "pdf" else TextDoc(data)
    lines = doc.lines
    if not is_annual_report(lines):
        raise NotAnnualReport(f"“{name}”")
    ident = identity(lines)
    template, basis = detect_template(lines, ident.year)
    sections = doc.read_sections(template)
    if not any(s.rows for s in sections.values()):
        raise TablesNotFound(f"“{name}”")
    cells, reports = map_tables(template, sections)
    if all(c.flag == FLAG_UNSURE for c in cells if c.table == "t3"):
        raise TablesNotFound(f"“{name}”：未能读出表三 / table 3 could not be read")
    skip = {i for sp in locate_sections(lines, template) for i in range(sp.start, sp.end)}
    figures = prose_figures(lines, template, skip)
    checks = check_rules(template, cells) + check_prose(template, cells, figures)
    sha = hashlib.sha256(data).hexdigest()
    meta = ReportMeta(
        report_id=sha[:16], source_name=name, source_kind=kind, agency=ident.agency,
        region=ident.region, region_code=ident.region_code, year=ident.year,
        template=template.id, template_basis=basis, pages=doc.pages, sha256=sha,
        parser_version=PARSER_VERSION,
    )
    return ParsedReport(meta, tuple(cells), tuple(figures), tuple(checks), tuple(reports))


def parse_file(path: str | Path) -> ParsedReport:
    p = Path(path)
    return parse_bytes(p.read_bytes(), p.name)
