"""Raw rows -> canonical cells. Rows are matched by label (never by position or column count),
rows cut by a page break are rejoined, and every template cell comes out exactly once: read,
or flagged "unsure" with a note saying what went wrong."""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import FLAG_CLEAN, FLAG_UNSURE, Cell, TableReport
from ..model.notes import note
from .normalize import clean_cell, is_value_like, parse_value, squash, starts_with_enumerator
from .readers.base import RawCell, RawRow, Section
from .template import SLOT_MIN, Row, Table, Template, match_row, resemblance

OCR_MIN_CONF = 0.9     # below this recognition confidence a cell is flagged unsure
_MINUS = frozenset("-－−–")    # the minus signs a cell's text may start with (a signed zero is unsure)
# a figure standing apart in a row's label, after its text: the reader took the row's own figures for
# label text ("规范性文件 1 3.": "3." with a speck read as its dot), so a blank cell there is no known blank
_STRAY = re.compile(r"\s([0-9０-９]+[.．、]?|\?)(?=\s|$)")       # (or "?": a mark a scan's reader could not read)


def _blank(row: RawRow) -> bool:
    return not any(squash(v.text) for v in row.values)


def join_page_breaks(rows: list[RawRow], table: Table) -> list[RawRow]:
    """Rejoin a row whose label a page break cut in two: one half has the label start and
    the other its end, one of them the numbers."""
    out: list[RawRow] = []
    candidates = list(table.rows)
    for row in rows:
        if not row.values and row.exact:   # a grid row of labels only (header rows): never a label's rest
            out.append(row)
            continue
        k = len(out) - 1     # the row before, past the header rows repeated at the top of this page
        while k >= 0 and out[k].page == row.page and not out[k].values and out[k].exact:   # grid header rows
            k -= 1
        prev = out[k] if k >= 0 else None
        if prev is not None and prev.page is not None and row.page is not None and row.page != prev.page \
                and (_blank(prev) or _blank(row)) and (prev.label or row.label):
            joined = f"{prev.label}{row.label}"
            whole = match_row(joined, candidates)
            # the rest of a label carries no enumerator of its own: joined, it may name another row than
            # its first part alone ("（六）其他处理 1.申请人无正当" / "理由逾期不补正…")
            # (a grid row's label cells are joined by spaces: a group label before it, such as a vertical
            # 三、本年度办理结果 whose characters came out of order, does not make it a label's rest)
            rest = (bool(row.values) or not row.exact) and not any(map(starts_with_enumerator, row.label.split())) \
                and whole != match_row(prev.label, candidates)
            if whole and (rest or not match_row(prev.label, candidates) or not match_row(row.label, candidates)):
                keep = prev if _blank(row) else row
                out[k] = replace(keep, label=joined, unsure=tuple(dict(prev.unsure + row.unsure).items()))
                continue
        out.append(row)
    return out


def _fit(values: tuple[RawCell, ...], n: int, row: RawRow) -> tuple[list[RawCell | None], str]:
    """Place a raw row's value cells in the row's n columns; the note says what was unsure."""
    vals = list(values)
    if len(vals) > n:
        while len(vals) > n and not squash(vals[0].text):
            vals.pop(0)
        while len(vals) > n and not squash(vals[-1].text):
            vals.pop()
    if len(vals) == n:
        return list(vals), ""
    if len(vals) > n:
        return list(vals[:n]), note("cell_count", found=len(vals), expected=n)
    if row.ncols == n and all(v.col is not None for v in vals):
        placed: list[RawCell | None] = [None] * n
        for v in vals:
            assert v.col is not None
            if placed[v.col] is not None:
                break
            placed[v.col] = v
        else:
            return placed, ""
    seen = " ".join(v.text for v in vals)
    return [None] * n, note("value_count", found=len(vals), expected=n, seen=seen)


def _cells_for(table: Table, row: Row, raw: RawRow | None, cols: tuple[str, ...]) -> list[Cell]:
    if raw is None:
        return [Cell(table.code, row.code, c, "", None, None, None, FLAG_UNSURE, note("row_not_found"))
                for c in cols]
    placed, row_note = _fit(raw.values, len(cols), raw)
    stray = _STRAY.findall(raw.label)
    money = {c.code for c in table.cols if c.decimals}    # (the columns whose figures may hold a fraction)
    doubt = dict(raw.unsure)
    out = []
    for j, (col, v) in enumerate(zip(cols, placed, strict=True)):
        if j in doubt and not row_note:   # the reader could not settle this cell's row or column: its reading
            text = clean_cell(v.text) if v else ""                # is kept, flagged unsure with the reason
            out.append(Cell(table.code, row.code, col, text, parse_value(text) if is_value_like(text) else None,
                            v.page if v else raw.page, v.bbox if v else None, FLAG_UNSURE, doubt[j]))
            continue
        if v is None:
            why = row_note or (note("label_figures", seen=" ".join(stray)) if stray else "")
            out.append(Cell(table.code, row.code, col, "", None, raw.page, None,
                            FLAG_UNSURE if why else FLAG_CLEAN, why))
            continue
        if v.alternatives:       # run-together digits that split more than one way: never guess
            out.append(Cell(table.code, row.code, col, "", None, v.page, v.bbox, FLAG_UNSURE,
                            note("run_together", readings=list(v.alternatives))))
            continue
        text = clean_cell(v.text)
        readable = is_value_like(text)
        why = row_note or ("" if readable else note("unreadable", text=text))
        if not why and v.conf < OCR_MIN_CONF:
            why = note("ocr_confidence", conf=f"{v.conf:.2f}")
        value = parse_value(text) if readable else None
        if not why and value is not None and value != int(value) and col not in money:
            why = note("fraction", text=text)        # a count with a fraction: a speck read as its point
        if not why and value == 0 and text[:1] in _MINUS:
            why = note("signed_zero", text=text)     # "-0", which no report prints: a speck read as a minus
        # a text that is no number ("12万", "1e5") keeps its raw text but gives no value: its
        # leading digits are not what the report states
        out.append(Cell(table.code, row.code, col, text, value, v.page, v.bbox, FLAG_UNSURE if why else FLAG_CLEAN,
                        why))
    return out


def _pages(section: Section | None) -> tuple[int, ...]:
    return tuple(sorted({r.page for r in section.rows if r.page})) if section else ()


def _in_slots(table: Table, read: list[tuple[RawRow, Row | None]], found: dict[str, RawRow],
              preferred: tuple[str, ...]) -> None:
    """A row whose label the recogniser half-read ("2.垂复申请": too far off "重复申请" for its text
    alone), found by its place: the one row read between two found rows (in printed order; or before
    the first, or after the last) that no label named, where the template has exactly one row there
    still not found (of the groups found, else the format's preferred ones), and the label resembles
    that row's (SLOT_MIN). Any doubt (two rows read there, two rows free, a label unlike the row's,
    found rows out of the template's order) and the row stays not found."""
    order = {r.code: i for i, r in enumerate(table.rows)}
    groups = {r.group for r in table.rows if r.group and r.code in found} or set(preferred)
    named = [(k, order[row.code]) for k, (_, row) in enumerate(read) if row is not None]
    for (a, lo), (b, hi) in zip([(-1, -1), *named], [*named, (len(read), len(table.rows))], strict=True):
        between = [raw for raw, row in read[a + 1:b] if row is None]
        free = [r for r in table.rows[lo + 1:hi] if r.code not in found and (not r.group or r.group in groups)]
        if len(between) == 1 and len(free) == 1 and resemblance(between[0].label, free[0]) >= SLOT_MIN:
            found[free[0].code] = between[0]


def map_rows_table(table: Table, section: Section | None, template: Template) -> tuple[list[Cell], TableReport]:
    """Tables whose rows carry labels (表二, 表三)."""
    found: dict[str, RawRow] = {}
    read: list[tuple[RawRow, Row | None]] = []     # the rows with values, in printed order, and their row
    if section is not None:
        for raw in join_page_breaks(list(section.rows), table):
            if not raw.values and not raw.complete:   # no value read: the row stays unsure
                continue
            free = [r for r in table.rows if r.code not in found]
            row = match_row(raw.label, free)
            if row is not None:
                found[row.code] = raw
            read.append((raw, row))
        _in_slots(table, read, found, template.preferred_groups)
    groups_present = {r.group for r in table.rows if r.group and r.code in found}
    cells: list[Cell] = []
    expected = 0
    for row in table.rows:
        if row.group:
            if groups_present and row.group not in groups_present:
                continue
            if not groups_present and row.group not in template.preferred_groups:
                continue
        expected += 1
        cells.extend(_cells_for(table, row, found.get(row.code), row.cols))
    rep = TableReport(table.code, section.method if section else "none", _pages(section),
                      sum(1 for r in table.rows if r.code in found), expected,
                      sum(1 for c in cells if c.flag == FLAG_UNSURE))
    return cells, rep


def map_single_row_table(table: Table, section: Section | None) -> tuple[list[Cell], TableReport]:
    """表四: fifteen numbers in one printed row (or, in some layouts, one row per block)."""
    ncols = len(table.cols)
    need = ncols * len(table.rows)
    rows = [r for r in (section.rows if section else ()) if r.values]
    if not rows:    # a row read from its geometry with every cell blank
        rows = [r for r in (section.rows if section else ()) if r.complete][:1]
    data = next((r for r in rows if len(r.values) >= need), None)
    by_block: dict[str, RawRow] = {}
    if data is None:
        for r in rows:
            blk = match_row(r.label, [b for b in table.rows if b.code not in by_block])
            if blk is not None and len(r.values) >= ncols:
                by_block[blk.code] = r
    cells: list[Cell] = []
    if data is not None or not by_block:
        if data is None and rows:
            # values spread over several label-less rows: take them in printed order
            merged = tuple(v for r in rows for v in r.values)
            data = RawRow("", merged, rows[0].page, rows[0].exact, rows[-1].ncols, complete=len(rows) == 1,
                          unsure=rows[0].unsure if len(rows) == 1 else ())
        full = Row("all", "", (), tuple(f"{b.code}|{c.code}" for b in table.rows for c in table.cols))
        flat = _cells_for(table, full, data, full.cols)
        for c in flat:
            blk_code, col = c.col.split("|")
            cells.append(Cell(c.table, blk_code, col, c.raw, c.value, c.page, c.bbox, c.flag, c.note))
    else:
        for blk in table.rows:
            cells.extend(_cells_for(table, blk, by_block.get(blk.code), tuple(c.code for c in table.cols)))
    found = len(table.rows) if data is not None else len(by_block)
    rep = TableReport(table.code, section.method if section else "none", _pages(section), found,
                      len(table.rows), sum(1 for c in cells if c.flag == FLAG_UNSURE))
    return cells, rep


def map_tables(template: Template, sections: dict[str, Section]) -> tuple[list[Cell], list[TableReport]]:
    cells: list[Cell] = []
    reports: list[TableReport] = []
    for code, table in template.tables.items():
        if table.layout == "single_row":
            c, r = map_single_row_table(table, sections.get(code))
        else:
            c, r = map_rows_table(table, sections.get(code), template)
        cells.extend(c)
        reports.append(r)
    return cells, reports
