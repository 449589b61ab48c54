"""Plain-text reports (UTF-8 or GB18030) and transcriptions of them.

- Text extracted from a report: each table row flattened to a label followed by its numbers,
  labels broken over several lines, header words scattered.
- Transcriptions (OCR, PDF-to-Markdown): a Markdown table row `| label | 1 |  | 3 |` is a
  label followed by exactly its value cells, a blank cell staying blank; `#` heading marks are
  dropped.
- Text scraped from web pages whose table cells ran together ("规章000规范性文件898989…",
  a whole report on one line): cut at its section headings, read by readers/runtogether.py
  (see readers/lines.py)."""

from __future__ import annotations

import re

from ...errors import NotAnnualReport, UnsupportedFormat
from ..formats import accepted
from ..normalize import is_page_number
from ..template import Template
from .base import METHOD_TEXT, Line, RawRow, Section, Unpaged
from .grid import Slot, grid_row
from .lines import arrange, read_line_sections, split_values

_MD_ROW = re.compile(r"^\|(.*)\|$")
_MD_RULE = re.compile(r"^:?-{3,}:?$")
_MD_HEADING = re.compile(r"^#{1,6}\s+")

__all__ = ["TextDoc", "decode_text", "split_values"]


def decode_text(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise UnsupportedFormat("文本无法按 UTF-8 或 GB18030 解码 / text is neither UTF-8 nor GB18030", *accepted())


def read_lines(text: str) -> tuple[list[Line], dict[int, RawRow]]:
    """The text's lines, and the Markdown table rows among them (by line index)."""
    lines: list[Line] = []
    rows: dict[int, RawRow] = {}
    for raw in text.splitlines():
        s = raw.strip()
        if not s or is_page_number(s):
            continue
        m = _MD_ROW.match(s)
        if m:
            cells = [c.strip() for c in m.group(1).split("|")]
            if all(_MD_RULE.match(c) for c in cells if c):
                continue                  # the |---|---| line under a header
            line, row = grid_row([Slot(i, c) for i, c in enumerate(cells)])
            if line:
                rows[len(lines)] = row
                lines.append(Line(line))
            continue
        lines.append(Line(_MD_HEADING.sub("", s)))
    return lines, rows


class TextDoc(Unpaged):
    kind = "text"

    def __init__(self, data: bytes) -> None:
        lines, rows = read_lines(decode_text(data))
        if not lines:
            raise NotAnnualReport("文本为空白 / the text is blank")
        self.lines, self._rows = arrange(lines, rows)

    def read_sections(self, template: Template) -> dict[str, Section]:
        return read_line_sections(self.lines, self._rows, template, METHOD_TEXT)
