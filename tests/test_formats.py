"""The reader registry (gkcore/parse/formats.py): a format declared there, and nowhere else, is
sniffed, opened by its named reader, listed among the name endings and named in the message
that says which formats are read; the pipeline has no branch per format."""

from __future__ import annotations

import pytest

import gkcore
from gkcore import errors
from gkcore.parse import formats
from gkcore.parse.readers.text import TextDoc
from gkcore.parse.version import DOCUMENT_SUFFIXES

from .conftest import FIXTURES

TEXT = FIXTURES / "real" / "fujian-pingtan_2021_guanweihui.txt"
MAGIC = b"FAKEDOC1"


class FakeDoc(TextDoc):
    """A made-up kind: a magic number, then UTF-8 text."""

    kind = "fake"

    def __init__(self, data: bytes) -> None:
        super().__init__(data[len(MAGIC):])


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> formats.Format:
    f = formats.Format("fake", (".fake",), ("假格式（.fake）", "a fake file (.fake)"),
                       lambda d: d.startswith(MAGIC), f"{__name__}:FakeDoc")
    monkeypatch.setattr(formats, "FORMATS", (*formats.FORMATS, f))
    return f


def test_a_declared_format_is_sniffed_opened_listed_and_named(fake: formats.Format) -> None:
    report = gkcore.parse_bytes(MAGIC + TEXT.read_bytes(), "x.fake")
    assert report.meta.source_kind == "fake"
    assert report.cells == gkcore.parse_file(TEXT).cells
    assert ".fake" in formats.suffixes()
    with pytest.raises(errors.UnsupportedFileType, match="PNG") as info:
        gkcore.parse_bytes(b"\x89PNG\r\n" + b"\x00" * 64, "x.png")
    assert "假格式（.fake）或文本（.txt、.md）" in info.value.message
    assert "a fake file (.fake) or a text file (.txt, .md)" in info.value.message


def test_without_the_declaration_the_bytes_are_plain_text() -> None:
    assert formats.sniff(MAGIC + b"abc", "x.fake").kind == "text"
    assert ".fake" not in DOCUMENT_SUFFIXES


def test_the_suffixes_and_the_message_come_from_the_registry() -> None:
    assert formats.suffixes() == DOCUMENT_SUFFIXES
    assert {".pdf", ".txt", ".md", ".html", ".htm", ".docx", ".doc"} <= set(DOCUMENT_SUFFIXES)
    zh, en = formats.accepted()
    assert all(f.named[0] in zh and f.named[1] in en for f in formats.FORMATS)
    assert zh.startswith("文件格式不受支持：请提供 PDF、网页（.html）、Word（.docx 或 .doc）")
    assert zh.endswith("或文本（.txt、.md）格式的年度报告。") and en.endswith(" or a text file (.txt, .md).")
    with pytest.raises(errors.UnsupportedFormat, match="扩展名为 .pdf，但内容不是 PDF") as info:
        formats.sniff(b"plain words", "report.pdf")
    assert "Word（.docx 或 .doc）" in info.value.message and "UTF-8 文本" not in info.value.message
