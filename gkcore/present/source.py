"""Where a cell was read, for the inputs without page images (text, web page, Word): the source's
lines and the line that holds the cell's row. A text file's own lines are shown (their numbers
are the file's); a web page or a Word file is shown as its reader's lines (the text of each
paragraph, one line per table row). PDFs and scans show the page image instead (render.py).

Also the map from a table as printed (compare.printed_table) back to its cells' codes, so a
click on a shown cell finds the cell."""

from __future__ import annotations

import re

import pandas as pd

from ..parse.normalize import split_enumerated, squash
from ..parse.template import load, match_row

_TRAILING_VALUES = re.compile(r"(?:[\s|]*(?:-?[\d,.，]+|/|／|—|-|－|\*|×))+[\s|]*$")
_NUMBER = re.compile(r"(?<![\d.])-?\d[\d,]*(?:\.\d+)?(?![\d.])")
_ENUM = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]?")
TEXT_KINDS = ("text", "html", "docx", "doc")


def source_lines(data: bytes, kind: str) -> list[str]:
    """The lines the source view shows (a text file's own lines; the reader's for other kinds)."""
    from ..parse.pipeline import READERS
    from ..parse.readers.text import decode_text

    if kind == "text":
        return decode_text(data).splitlines()
    return [ln.text for ln in READERS[kind](data).lines]


def locate(lines: list[str], template: str, table: str, row: str, raw: str = "") -> int | None:
    """The index of the line holding the row of a cell: after the table's title, the first line
    whose label (the text before its numbers) names the row; for a table whose rows are not
    printed as lines (表四), the first line after the title with the cell's number among many;
    else the title's line; None when the table's title is not found either."""
    t = load(template).tables[table]
    title = squash(t.title)
    start = next((i for i, ln in enumerate(lines) if title and title in squash(ln)), None)
    if start is None:
        return None
    rows = list(t.rows)
    for i in range(start + 1, len(lines)):
        label = _TRAILING_VALUES.sub("", lines[i]).strip()
        if not label or not _NUMBER.search(lines[i]):
            continue
        hit = match_row(label, rows)
        if hit is not None and hit.code == row:
            return i
    for i in range(start + 1, min(len(lines), start + 80)):
        numbers = _NUMBER.findall(lines[i])
        if len(numbers) >= 5 and (not raw or raw in numbers):
            return i
    return start


LONG_LINE = 240         # a line longer than this (a report printed as one paragraph) is shown in part


def focus(line: str, template: str, table: str, row: str) -> tuple[str, str, str]:
    """A line as (before, marked, after): the whole line marked, or for a long line the row's
    label and what follows it (after the table's title), with a little text either side."""
    if len(line) <= LONG_LINE:
        return "", line, ""
    t = load(template).tables[table]
    r = next((x for x in t.rows if x.code == row), None)
    at = line.find(t.title) if t.title else -1
    start = max(at, 0)
    if r is not None:
        core = split_enumerated(r.label)
        word = _ENUM.sub("", core[-1]) if core else ""
        hit = line.find(word[:6], start) if word else -1
        start = hit if hit >= 0 else start
    end = min(len(line), start + 120)
    return ("…" + line[max(0, start - 60):start] if start > 60 else line[:start]), line[start:end], \
        line[end:end + 60] + ("…" if end + 60 < len(line) else "")


def excerpt(lines: list[str], at: int, around: int = 6) -> tuple[int, list[str]]:
    """The lines shown around line `at`: (index of the first, the lines)."""
    first = max(0, at - around)
    return first, lines[first:at + around + 1]


def printed_codes(cells: pd.DataFrame, table: str, template: str) -> tuple[list[str], list[str]]:
    """The row codes and column codes of compare.printed_table(cells, table, template), in its
    order: position (row i, column j) of the printed table is the cell table.rows[i].cols[j]."""
    t = load(template).tables[table]
    sub = cells[cells["table"] == table]
    have = set(zip(sub["row"].tolist(), sub["col"].tolist(), strict=True))
    present = [r for r in t.rows if any((r.code, c) in have for c in r.cols)]
    cols = [c for c in t.cols if any((r.code, c.code) in have for r in present)]
    return [r.code for r in present], [c.code for c in cols]
