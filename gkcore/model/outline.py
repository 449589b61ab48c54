"""The document outline of a report: its six sections found by place and content, and the dates
it prints (under the signature, on the web page), each with its page and the quoted words."""

from __future__ import annotations

from dataclasses import dataclass

# section codes, in the template's order (一 … 六)
OVERVIEW, ACTIVE, REQUESTS, APPEALS, PROBLEMS, OTHER = (
    "overview", "active", "requests", "appeals", "problems", "other")
SECTION_CODES = (OVERVIEW, ACTIVE, REQUESTS, APPEALS, PROBLEMS, OTHER)

# how a date was found
DATE_SIGNATURE = "signature"      # the date under the signature (end of the report)
DATE_PUBLISHED = "published"      # the publication date the web page prints (发布时间, 发布日期)
DATE_HEAD = "head"                # a date printed under the title, e.g. 沭阳县人民政府（2026年1月23日）
DATE_KINDS = (DATE_SIGNATURE, DATE_PUBLISHED, DATE_HEAD)


@dataclass(frozen=True)
class OutlineSection:
    code: str                 # one of SECTION_CODES
    number: int               # 1..6, the template's place
    heading: str              # the heading as printed (up to its first sentence break)
    renamed: bool             # printed under another title than the template's
    page: int | None
    text: str                 # the section's text after its heading (normalised)


@dataclass(frozen=True)
class FoundDate:
    kind: str                 # one of DATE_KINDS
    date: str                 # ISO yyyy-mm-dd
    page: int | None
    quote: str                # the words it was read from


@dataclass(frozen=True)
class Outline:
    sections: tuple[OutlineSection, ...] = ()
    dates: tuple[FoundDate, ...] = ()

    def section(self, code: str) -> OutlineSection | None:
        return next((s for s in self.sections if s.code == code), None)

    def date(self, kind: str) -> FoundDate | None:
        return next((d for d in self.dates if d.kind == kind), None)


def outline_rows(report_id: str, outline: Outline) -> list[tuple[object, ...]]:
    """The rows of the cache's outline part (gkcore.model.OUTLINE_COLUMNS), without pandas."""
    rows: list[tuple[object, ...]] = []
    return rows + ([(report_id, "section", s.code, s.number, s.heading, int(s.renamed), s.page, s.text)
             for s in outline.sections]
            + [(report_id, "date", d.kind, 0, d.quote, 0, d.page, d.date) for d in outline.dates])
