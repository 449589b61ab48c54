"""bytes -> ParsedReport: sniff the kind, read, detect the template, map the tables, read the
metadata and prose figures, run the checks."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from ..errors import FileTooLarge, NotAnnualReport, ScanUnreadable, TablesNotFound, safe_name
from ..model import FLAG_UNSURE, ParsedReport, ReportMeta
from .checks import run_checks
from .formats import BY_KIND, ReadOptions
from .formats import sniff as sniff_format
from .limits import Limits
from .meta import identity, is_annual_report, prose_figures
from .normalize import squash
from .outline import outline
from .readers.base import Line, Reader, locate_sections
from .scanchecks import distrust_ocr
from .tables import map_tables
from .template import Template, all_templates
from .version import DOCUMENT_SUFFIXES, PARSER_VERSION  # noqa: F401 — DOCUMENT_SUFFIXES re-exported

Progress = Callable[[int, int], None]

#: kind -> a reader of bytes (the registry's, gkcore/parse/formats.py)
READERS: dict[str, Callable[[bytes], Reader]] = {kind: f.open for kind, f in BY_KIND.items()}


def sniff(data: bytes, name: str) -> str:
    """The kind of reader to use, decided by the bytes (the file name only words the message)."""
    return sniff_format(data, name).kind


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
    fmt = sniff_format(data, name)
    doc = fmt.open(data, ReadOptions(progress, limits.pages))
    lines = doc.lines
    unread = list(doc.unread_pages)
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
    ocr_pages = list(doc.ocr_pages)
    if ocr_pages:
        cells, checks = distrust_ocr(template, cells, figures, checks, set(ocr_pages))
    sha = hashlib.sha256(data).hexdigest()
    meta = ReportMeta(
        report_id=sha[:16], source_name=name, source_kind=fmt.kind, agency=ident.agency,
        region=ident.region, region_code=ident.region_code, year=ident.year,
        template=template.id, template_basis=basis, pages=doc.pages, sha256=sha,
        parser_version=PARSER_VERSION, ocr_pages=",".join(map(str, ocr_pages)),
    )
    return ParsedReport(meta, tuple(cells), tuple(figures), tuple(checks), tuple(reports), outline(lines))


def parse_file(path: str | Path) -> ParsedReport:
    p = Path(path)
    return parse_bytes(p.read_bytes(), p.name)
