"""The reader registry: every file kind gkcore reads, as data (after frictionless's plugins).

A `Format` declares its kind, the name endings it goes by, how its bytes are recognised (a sniff
that looks at the bytes only) and its reader, named "module:Class" and imported only when a file
of that kind is read (a reader takes up to 0.3 s to import; the cache, the index and the command
line read this registry without importing any). The pipeline sniffs, refuses what no reader takes
(an image, a spreadsheet, …) and opens the reader: it has no branch per format. The name endings
(`version.DOCUMENT_SUFFIXES`) and the "provide the report as …" message come from here.

A new file kind is one `Format` in FORMATS and its reader module in `readers/`."""

from __future__ import annotations

import importlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import CorruptDocx, EmptyFile, UnsupportedFileType, UnsupportedFormat

if TYPE_CHECKING:
    from .readers.base import Reader


@dataclass(frozen=True)
class ReadOptions:
    """What a paged reader is given besides the bytes."""

    progress: Callable[[int, int], None] | None = None   # (pages done, pages to do) while recognising
    max_pages: int | None = None                          # the page limit (gkcore.parse.limits)


@dataclass(frozen=True)
class Format:
    kind: str                              # the report's source_kind
    suffixes: tuple[str, ...]              # the name endings of such files (folder scans, upload pickers)
    named: tuple[str, str]                 # what the message calls it: (Chinese, English)
    sniff: Callable[[bytes], bool]         # these bytes are this kind (the file's name never decides)
    factory: str                           # "module:Class": Class(bytes) (paged: also progress, max_pages)
    paged: bool = False                    # the reader takes ReadOptions (pages, progress of recognition)
    fallback: bool = False                 # tried last, after every refusal (plain text)
    strict_name: bool = False              # a file named so but without these bytes is refused

    def open(self, data: bytes, options: ReadOptions | None = None) -> Reader:
        module, _, name = self.factory.partition(":")
        cls: Any = getattr(importlib.import_module(module), name)
        if self.paged:
            o = options or ReadOptions()
            return cls(data, o.progress, o.max_pages)
        return cls(data)


# A page starts with markup (after a byte-order mark, blanks, an XML declaration or a comment).
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*|<!--.*?-->\s*)*"
                         rb"<(?:!doctype\s+html|html|head|body|meta)\b", re.I | re.S)
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_names(data: bytes) -> set[str] | None:
    try:
        return set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _is_docx(data: bytes) -> bool:
    """A .docx is a ZIP archive holding word/document.xml."""
    return data.startswith(_ZIP) and "word/document.xml" in (_zip_names(data) or ())


_WORD = ("Word（.docx 或 .doc）", "a Word file (.docx or .doc)")
FORMATS: tuple[Format, ...] = (
    Format("pdf", (".pdf",), ("PDF", "a PDF"), lambda d: b"%PDF-" in d[:1024],
           "gkcore.parse.readers.pdf:PdfDoc", paged=True, strict_name=True),
    Format("text", (".txt", ".md"), ("文本（.txt、.md）", "a text file (.txt, .md)"), lambda d: True,
           "gkcore.parse.readers.text:TextDoc", fallback=True),
    Format("html", (".html", ".htm"), ("网页（.html）", "a web page (.html)"),
           lambda d: _HTML_START.match(d[:4096]) is not None, "gkcore.parse.readers.html:HtmlDoc"),
    Format("docx", (".docx",), _WORD, _is_docx, "gkcore.parse.readers.docx:DocxDoc"),
    Format("doc", (".doc",), _WORD, lambda d: d.startswith(_OLE) and "WordDocument".encode("utf-16-le") in d,
           "gkcore.parse.readers.docx:DocDoc"),
)
BY_KIND = {f.kind: f for f in FORMATS}


def suffixes() -> tuple[str, ...]:
    return tuple(s for f in FORMATS for s in f.suffixes)


def accepted() -> tuple[str, str]:
    """"Provide the report as …", in Chinese and English, naming every format of FORMATS (the
    fallback last)."""
    named = list(dict.fromkeys(f.named for f in sorted(FORMATS, key=lambda f: f.fallback)))
    zh = "、".join(n[0] for n in named[:-1]) + "或" + named[-1][0] if len(named) > 1 else named[0][0]
    en = ", ".join(n[1] for n in named[:-1]) + " or " + named[-1][1] if len(named) > 1 else named[0][1]
    return (f"文件格式不受支持：请提供 {zh}格式的年度报告。",
            f"Unsupported file format: provide the annual report as {en}.")


def refuse(what: str, name: str) -> UnsupportedFileType:
    """The error for bytes no reader takes, saying what they are and which formats are read."""
    zh, en = accepted()
    return UnsupportedFileType(f"文件“{name}”的内容是 {what}", zh, en)


_MAGIC = (
    (b"\x89PNG", "PNG 图片 / a PNG image"),
    (b"\xff\xd8\xff", "JPEG 图片 / a JPEG image"),
    (b"GIF8", "GIF 图片 / a GIF image"),
    (b"Rar!", "RAR 压缩包 / a RAR archive"),
    (b"7z\xbc\xaf", "7z 压缩包 / a 7z archive"),
)


def _refusals(data: bytes, name: str) -> None:
    """Raise for the files no reader takes, by what their bytes are."""
    zh, en = accepted()
    if data.startswith(_ZIP):
        names = _zip_names(data)
        if names is None and b"word/document.xml" in data:
            raise CorruptDocx(f"“{name}”")
        names = names or set()
        raise refuse("Excel 表格 / an Excel workbook" if "xl/workbook.xml" in names else
                     "PowerPoint 演示文稿 / a PowerPoint file" if "ppt/presentation.xml" in names else
                     "ZIP 压缩包 / a ZIP archive", name)
    if data.startswith(_OLE):
        raise refuse("旧版 Excel/PowerPoint（.xls/.ppt）文件 / a legacy Office file", name)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise refuse(what, name)
    if b"MIME-Version:" in data[:2048] and b"multipart/related" in data[:4096].lower():
        raise UnsupportedFileType(f"“{name}”是单文件网页（.mht），请在浏览器中另存为 .html / a .mht web archive",
                                  zh, en)
    for f in FORMATS:       # named as a kind whose name promises its bytes, without them
        if f.strict_name and name.lower().endswith(f.suffixes):
            ending = next(s for s in f.suffixes if name.lower().endswith(s))
            raise UnsupportedFormat(f"文件“{name}”扩展名为 {ending}，但内容不是 {f.named[0]} / named {ending} but not "
                                    f"{f.named[1]}", zh, en)
    if b"\x00" in data[:4096]:
        raise UnsupportedFileType(f"文件“{name}”不是文本、网页、Word 或 PDF / not a document gkcore reads", zh, en)


def sniff(data: bytes, name: str) -> Format:
    """The format of these bytes (the file name only words the message); raises for an empty
    file and for files no reader takes."""
    if not data:
        raise EmptyFile()
    for f in FORMATS:
        if not f.fallback and f.sniff(data):
            return f
    _refusals(data, name)
    return next(f for f in FORMATS if f.fallback and f.sniff(data))
