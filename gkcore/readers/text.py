"""Plain-text reports (UTF-8): each table row flattened to a label followed by its numbers,
labels broken over several lines, header words scattered."""

from __future__ import annotations

from ..errors import NotAnnualReport, UnsupportedFormat
from ..normalize import is_page_number, is_value_like, nfkc, squash
from ..template import Template
from .base import METHOD_TEXT, Line, RawCell, RawRow, Section, locate_sections


def decode_text(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise UnsupportedFormat("文本无法按 UTF-8 或 GB18030 解码 / text is neither UTF-8 nor GB18030")


def split_values(line: str) -> tuple[str, list[str]]:
    """"1.属于国家秘密 0 0 0 0 0 0 0" -> ("1.属于国家秘密", ["0", ... ]). Only trailing
    whitespace-separated tokens that look like values count; a label's own digits stay."""
    tokens = nfkc(line).split()
    values: list[str] = []
    while tokens and is_value_like(tokens[-1]) and squash(tokens[-1]):
        values.insert(0, tokens.pop())
    return " ".join(tokens), values


class TextDoc:
    kind = "text"
    pages: int | None = None

    def __init__(self, data: bytes) -> None:
        text = decode_text(data)
        self.lines = [Line(ln.strip()) for ln in text.splitlines()
                      if ln.strip() and not is_page_number(ln)]
        if not self.lines:
            raise NotAnnualReport("文本为空白 / the text is blank")

    def read_sections(self, template: Template) -> dict[str, Section]:
        out = {}
        for span in locate_sections(self.lines, template):
            rows: list[RawRow] = []
            pending: list[str] = []
            for ln in self.lines[span.start + 1:span.end]:
                label, values = split_values(ln.text)
                if not values:
                    pending.append(label)
                    continue
                full = " ".join(pending + [label]).strip()
                rows.append(RawRow(full, tuple(RawCell(v) for v in values)))
                pending = []
            out[span.table] = Section(span.table, tuple(rows), (), METHOD_TEXT)
        return out
