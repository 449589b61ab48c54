"""From a reader's lines to its sections, for the readers that give text lines (plain text,
transcriptions, web pages, Word files): the title put first, a report scraped onto one line cut
at its section headings, and each section's raw rows: text lines give a label followed by its
numbers (labels wrapped over several lines joined), table rows known exactly come as they are,
and a section with no table rows whose cells ran together is read by readers/runtogether.py
when that finds more of its rows."""

from __future__ import annotations

import re

from ..normalize import is_value_like, nfkc, split_enumerated, squash
from ..prose import stated_figures
from ..template import Table, Template, all_templates, match_row
from ..title import title_text
from .base import METHOD_RUNTOGETHER, Line, RawCell, RawRow, Section, locate_sections
from .runtogether import Stated, run_together_rows

TITLE_SEARCH = 8                  # lines at the top of a document where its title may start
# Header words of transcriptions and saved pages that stand above the title.
_CHROME = frozenset({"正文", "全文", "文字版", "打印", "打印本页", "关闭", "关闭窗口", "返回顶部", "【打印】",
                     "【关闭】"})


def title_first(lines: list[Line]) -> tuple[list[Line], int, int]:
    """The lines with header words ("正文", "打印本页") dropped from the top and the report's
    title put first when other text stands before it, so that the metadata reads the title;
    with how many lines were dropped from the top and added there (to move indices)."""
    k = 0
    while k < min(TITLE_SEARCH, len(lines)) and squash(lines[k].text) in _CHROME:
        k += 1
    rest = lines[k:]
    if not title_text(rest):
        for i in range(1, min(TITLE_SEARCH, len(rest))):
            if title := title_text(rest[i:]):
                return [Line(title, rest[i].page)] + rest, k, 1
    return rest, k, 0


def arrange(lines: list[Line], rows: dict[int, RawRow]) -> tuple[list[Line], dict[int, RawRow]]:
    """A reader's lines and its table rows (keyed by line index) after `title_first`, the row
    indices moved with the lines; a report scraped onto one line is cut at its headings."""
    lines, dropped, added = title_first(lines)
    moved = {i - dropped + added: r for i, r in rows.items() if i >= dropped}
    return (lines if moved else split_at_headings(lines)), moved


def split_at_headings(lines: list[Line]) -> list[Line]:
    """Lines cut before and after every section heading found inside them, when no heading of
    表三 starts a line (a report scraped onto one line); otherwise the lines as they are."""
    templates = all_templates()
    if any(sp.table == "t3" for t in templates for sp in locate_sections(lines, t)):
        return lines
    pats = [re.compile(p) for p in sorted({p.pattern.removeprefix("^") for t in templates
                                           for p in t.sections.values()})]
    out: list[Line] = []
    for ln in lines:
        key, where = "", []               # the text without blanks, and where each character came from
        for i, ch in enumerate(ln.text):
            n = nfkc(ch)
            if n.strip():
                key += n
                where += [i] * len(n)
        cuts = {0, len(ln.text)}
        for pat in pats:
            for m in pat.finditer(key):
                cuts |= {where[m.start()], where[m.end() - 1] + 1}
        bounds = sorted(cuts)
        out.extend(Line(part.strip(), ln.page) for a, b in zip(bounds, bounds[1:], strict=False)
                   if (part := ln.text[a:b]).strip())
    return out


def split_values(line: str) -> tuple[str, list[str]]:
    """"1.属于国家秘密 0 0 0 0 0 0 0" -> ("1.属于国家秘密", ["0", ... ]). Only trailing
    whitespace-separated tokens that look like values count; a label's own digits stay."""
    tokens = nfkc(line).split()
    values: list[str] = []
    while tokens and is_value_like(tokens[-1]) and squash(tokens[-1]):
        values.insert(0, tokens.pop())
    return " ".join(tokens), values


def _one_row_named(pending: list[str], table: Table) -> str:
    """The text lines before a table row that has numbers but no label (a transcription that
    tore the label from its row) name it only when they name exactly one template row."""
    text = " ".join(pending)
    named = {row.code for part in split_enumerated(text) if (row := match_row(part, list(table.rows)))}
    return text if len(named) == 1 else ""


def section_rows(lines: list[Line], table_rows: dict[int, RawRow], start: int, end: int,
                 table: Table) -> list[RawRow]:
    """The rows of lines[start:end]. `table_rows` maps the index of a line that is a table row
    to that row."""
    out: list[RawRow] = []
    pending: list[str] = []
    for i in range(start, end):
        raw = table_rows.get(i)
        if raw is not None:
            if raw.values:
                if not raw.label and pending:
                    raw = RawRow(_one_row_named(pending, table), raw.values, raw.page, raw.exact, raw.ncols)
                out.append(raw)
            pending = []
            continue
        label, values = split_values(lines[i].text)
        if not values:
            pending.append(label)
            continue
        out.append(RawRow(" ".join(pending + [label]).strip(), tuple(RawCell(v) for v in values)))
        pending = []
    return out


def rows_matched(rows: list[RawRow], table: Table) -> int:
    """How many template rows a reading found with the right number of cells."""
    if table.layout == "single_row":
        need = len(table.cols) * len(table.rows)
        return len(table.rows) if any(len(r.values) >= need for r in rows) else 0
    free, n = list(table.rows), 0
    for r in rows:
        row = match_row(r.label, free) if r.values else None
        if row is not None:
            free.remove(row)
            n += len(r.values) == len(row.cols)
    return n


def _well_read(rows: list[RawRow], table: Table) -> bool:
    """Most rows came with as many numbers as a row of the table has (cheap: no label matching),
    so there is no point cutting run-together digits."""
    if table.layout == "single_row":
        return any(len(r.values) >= len(table.cols) * len(table.rows) for r in rows)
    widths = {len(r.cols) for r in table.rows}
    return sum(len(r.values) in widths for r in rows) >= 0.8 * len(table.rows)


def read_line_sections(lines: list[Line], table_rows: dict[int, RawRow], template: Template,
                       method: str) -> dict[str, Section]:
    """Each section's rows, from the line after its heading to the next heading."""
    out = {}
    spans = locate_sections(lines, template)
    stated: list[Stated] | None = None
    for span in spans:
        table = template.tables[span.table]
        rows = section_rows(lines, table_rows, span.start + 1, span.end, table)
        out[span.table] = Section(span.table, tuple(rows), (), method)
        if any(i in table_rows for i in range(span.start + 1, span.end)) or _well_read(rows, table):
            continue
        text = "\n".join(ln.text for ln in lines[span.start + 1:span.end])
        if stated is None:                # what the prose says about the tables' cells, read once
            stated = stated_figures(lines, template, {i for sp in spans for i in range(sp.start, sp.end)})
        joined = run_together_rows(text, table, template, stated)
        if rows_matched(joined, table) > rows_matched(rows, table):
            out[span.table] = Section(span.table, tuple(joined), (), METHOD_RUNTOGETHER)
    return out
