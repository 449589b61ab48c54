#!/usr/bin/env python3
"""The hostile inputs of tests/bad/ (see README.md there for what each is and what the user sees).

    .venv/bin/python tests/bad/make_bad.py            # rewrite the small, committed files
    .venv/bin/python tests/bad/make_bad.py --large D  # write the large ones into folder D

Small files (each well under 200 KB) are committed; the large ones (the 2,000-page PDF, the
100,000-deep nesting) are written at test time by `write_large(folder)` into a temporary folder, so
the repository stays small. Everything is deterministic (fixed seeds, fixed zip timestamps), made
from the committed report fixtures with the standard library, plus reportlab for the English paper.
The inputs made earlier by tests/fixtures/make_generated.py (encrypted-user-password.pdf,
scanned-no-text.pdf, zero-pages.pdf, truncated.pdf, corrupt.pdf, empty.pdf, png-renamed.pdf,
zip-renamed.pdf, notice.txt, budget-report.pdf, no-tables.pdf) are left as they are.

Careful: bomb-flate.pdf expands to 10 GB and huge-content-stream.pdf to 24 MB of drawing
operators; parse them only through gkcore.parse.isolate.parse_isolated (which enforces the memory
limit), never in-process.
"""

from __future__ import annotations

import io
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures"
BASIC = FIXTURES / "generated" / "gen-2021-ruled-basic.pdf"          # 3 pages, 84 KB, reportlab
ZHANGDIAN = FIXTURES / "real" / "shandong-zibo-zhangdian_2024_qu-zhengfu-bangongshi.txt"
SHUYANG = FIXTURES / "real" / "jiangsu-suqian-shuyang_2023_fagaiju.html"
DOCX = FIXTURES / "generated" / "gen-2021-docx-merged.docx"
ZIP_DATE = (2024, 1, 1, 0, 0, 0)
_CJK = re.compile(r"[\u4e00-\u9fff]")


# ---- small PDFs written by hand ---------------------------------------------------------------
def pdf(objs: list[bytes | str]) -> bytes:
    """A PDF of these objects (1 0 obj is the catalog), with a correct xref table."""
    out, offs = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += f"{i} 0 obj\n".encode() + (o.encode() if isinstance(o, str) else o) + b"\nendobj\n"
    xref = f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offs)
    return out + f"{xref}trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{len(out)}\n%%EOF\n".encode()


def stream(extra: str, data: bytes) -> bytes:
    return f"<< /Length {len(data)} {extra} >>\nstream\n".encode() + data + b"\nendstream"


CATALOG = "<< /Type /Catalog /Pages 2 0 R >>"
FONT = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
ONE_PAGE = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> {extra}>>")


def deflate_repeat(block: bytes, times: int) -> bytes:
    """The zlib stream of `block * times`, built from one compressed block (a full flush resets
    the compressor, so every block compresses to the same bytes) and the Adler-32 of the whole:
    gigabytes described without ever being held in memory."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    rep = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    end = c.flush()
    adler = 1
    for _ in range(times):
        adler = zlib.adler32(block, adler)
    return b"\x78\xda" + rep * times + end + adler.to_bytes(4, "big")


def bomb_flate(gigabytes: int = 10) -> bytes:
    """One page whose content stream is FlateDecode twice: ~25 KB expanding to `gigabytes` of blanks."""
    inner = deflate_repeat(b" " * (1 << 20), gigabytes * 1024)
    return pdf([CATALOG, ONE_PAGE, PAGE.format(extra=""),
                stream("/Filter [/FlateDecode /FlateDecode]", zlib.compress(inner, 9)), FONT])


def huge_content_stream(ops: int = 1_000_000) -> bytes:
    """One page drawing the letter x a million times: 24 MB of operators, 60 KB compressed."""
    content = b"BT /F1 1 Tf " + b"1 0 0 1 10 10 Tm (x) Tj " * ops + b"ET"
    return pdf([CATALOG, ONE_PAGE, PAGE.format(extra=""), stream("/Filter /FlateDecode", zlib.compress(content, 9)),
                FONT])


def nested(depth: int = 100_000) -> bytes:
    """A page whose dictionary holds an array and a dictionary nested `depth` deep."""
    arr = "[" * depth + "]" * depth
    dic = "<< /A " * depth + ">>" * depth
    return pdf([CATALOG, ONE_PAGE, PAGE.format(extra=f"/Nest {arr} /Nest2 {dic} "),
                stream("", b"BT /F1 12 Tf 72 720 Td (Deeply nested objects) Tj ET"), FONT])


def many_pages(n: int = 2000) -> bytes:
    """n pages sharing one small content stream."""
    kids = " ".join(f"{5 + i} 0 R" for i in range(n))
    page = ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
            "/Resources << /Font << /F1 4 0 R >> >> >>")
    return pdf([CATALOG, f"<< /Type /Pages /Kids [{kids}] /Count {n} >>",
                stream("", b"BT /F1 12 Tf 72 720 Td (One of many pages) Tj ET"), FONT] + [page] * n)


def truncated(fraction: float) -> bytes:
    data = BASIC.read_bytes()
    return data[: int(len(data) * fraction)]


def broken_xref() -> bytes:
    """Every offset in the xref table 37 bytes off, and startxref pointing past the end."""
    data = BASIC.read_bytes()
    i = data.rindex(b"\nxref") + 1
    table = re.sub(rb"(\d{10}) 00000 n", lambda m: b"%010d 00000 n" % (int(m.group(1)) + 37), data[i:])
    table = re.sub(rb"startxref\s+\d+", b"startxref\n999999", table)
    return data[:i] + table


# ---- documents of other kinds ------------------------------------------------------------------
PAPER = [
    ("Sparse Attention Revisited: A Study of Long-Context Retrieval", 16),
    ("A. Author, B. Author - Department of Computer Science", 10),
    ("Abstract", 12),
    ("We study retrieval over long documents and report results on three benchmarks. Our method", 10),
    ("improves recall by 4.2 points while using 31 percent less memory than the baseline.", 10),
    ("1 Introduction", 12),
    ("Long-context models are costly. Section 2 reviews related work, Section 3 describes the", 10),
    ("method, and Section 4 gives the results in Table 1. We conclude in Section 5.", 10),
    ("Table 1: Recall at 10 on three benchmarks", 10),
    ("Method        NQ     TriviaQA     HotpotQA", 10),
    ("Baseline      71.3   68.0         55.4", 10),
    ("Ours          75.5   72.1         60.2", 10),
    ("5 Conclusion", 12),
    ("Sparse attention with learned routing is a strong default for long-context retrieval.", 10),
]


def english_paper(path: Path) -> None:
    from reportlab import rl_config
    from reportlab.pdfgen.canvas import Canvas

    rl_config.invariant = 1
    cv = Canvas(str(path), invariant=1)
    cv.setTitle(PAPER[0][0])
    for page in range(2):
        y = 780.0
        for text, size in PAPER:
            cv.setFont("Helvetica-Bold" if size > 10 else "Helvetica", size)
            cv.drawString(60, y, text if page == 0 else f"Appendix {text}")
            y -= size * 1.8
        cv.drawCentredString(297, 40, str(page + 1))
        cv.showPage()
    cv.save()


def zhangdian_without(start: str, end: str) -> bytes:
    """The 张店 report with the lines from the heading `start` up to the heading `end` removed."""
    lines = ZHANGDIAN.read_text("utf-8").split("\n")
    a = next(i for i, ln in enumerate(lines) if ln.startswith(start))
    b = next(i for i, ln in enumerate(lines) if i > a and ln.startswith(end))
    return "\n".join(lines[:a] + lines[b:]).encode()


def script_labels_html() -> bytes:
    """The 沭阳 web page with script, hidden text, comments, event handlers and formatting in
    every table label, and scripts that print table-like text around the page."""
    def td(m: re.Match[str]) -> str:
        attrs, label = m.group(1), m.group(2)
        if not _CJK.search(label) or len(label) < 2:
            return m.group(0)
        k = len(label) // 2
        return (f'<td{attrs} onclick="alert(1)"><b>{label[:k]}</b><script>document.write("<td>999</td>")</script>'
                f'<span style="display:none">999</span><!-- 888 --><font color="red">{label[k:]}</font>'
                f"<noscript>777</noscript></td>")
    page = re.sub(r"<td([^>]*)>([^<]+)</td>", td, SHUYANG.read_text("utf-8"))
    page = page.replace("<body", '<script>var t="政府信息公开工作年度报告 表三 100";</script>'
                        "<style>td{color:red}</style><body", 1)
    page = page.replace("</body>", '<script>alert("表四 5 5 5")</script><iframe src="javascript:alert(1)">表二 9'
                        "</iframe><img src=x onerror=alert(1)></body>", 1)
    return page.encode()


def script_labels_docx() -> bytes:
    """The generated Word report with every label split into a bold and a red run, a tracked
    deletion of "999" and a HYPERLINK field to javascript: between them, and a paragraph whose
    text is `<script>…</script>` markup."""
    zin = zipfile.ZipFile(DOCX)
    n = 0

    def run(m: re.Match[str]) -> str:
        nonlocal n
        label = m.group(1)
        if not _CJK.search(label) or len(label) < 4:
            return m.group(0)
        n += 1
        k = len(label) // 2
        return (f"<w:r><w:rPr><w:b/></w:rPr><w:t>{label[:k]}</w:t></w:r>"
                f'<w:del w:id="{9000 + n}" w:author="x" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>999</w:delText>'
                f'</w:r></w:del><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
                f' HYPERLINK "javascript:alert(1)" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                f'<w:r><w:rPr><w:color w:val="FF0000"/></w:rPr><w:t>{label[k:]}</w:t></w:r>'
                f'<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    xml = re.sub(r"<w:r><w:t>([^<]+)</w:t></w:r>", run, zin.read("word/document.xml").decode())
    xml = xml.replace("<w:body>", '<w:body><w:p><w:r><w:t>&lt;script&gt;alert("表三 100")&lt;/script&gt;'
                      "&lt;b&gt;x&lt;/b&gt;</w:t></w:r></w:p>", 1)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            z.writestr(info, xml if info.filename == "word/document.xml" else zin.read(info))
    return buf.getvalue()


# ---- archives for the batch uploader -------------------------------------------------------------
def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def zip_bomb(entries: int = 300, member_mb: int = 10) -> bytes:
    """Overlapping entries (Fifield's construction, simplified): one deflated 10 MB kernel of
    zeros and 300 central-directory entries all pointing at it — 30 KB declaring 3 GB."""
    size = member_mb << 20
    comp = deflate_repeat(b"0" * (1 << 20), member_mb)[2:-4]          # raw deflate, as zip stores it
    crc = 0
    for _ in range(member_mb):
        crc = zlib.crc32(b"0" * (1 << 20), crc)
    name0 = b"report-000.pdf"
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x5821, crc, len(comp), size, len(name0), 0)
    body = local + name0 + comp
    central = b""
    for i in range(entries):
        name = b"report-%03d.pdf" % i
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x5821, crc, len(comp), size,
                               len(name), 0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, entries, entries, len(central), len(body), 0)
    return body + central + end


def zip_slip() -> bytes:
    """Reports stored under names that climb out of any folder they would be extracted to."""
    report = ZHANGDIAN.read_bytes()
    return _zip([("../../../../tmp/gk-zip-slip.txt", report), ("/etc/gk-absolute.txt", report),
                 ("..\\..\\windows\\gk.txt", report), ("ok/../../up.txt", report)])


def zip_control_names() -> bytes:
    """Member names with ESC colour sequences, a newline, a carriage return and a bidi override."""
    report = ZHANGDIAN.read_bytes()
    return _zip([("红\x1b[31m色\x1b[0m报告.txt", report), ("two\nlines\r.txt", b"\x89PNG\r\n\x1a\n"),
                 ("evil\u202etxt.pdf", b"")])


SMALL: dict[str, Callable[[], bytes]] = {
    "truncated-10.pdf": lambda: truncated(0.10),
    "truncated-70.pdf": lambda: truncated(0.70),
    "truncated-99.pdf": lambda: truncated(0.99),
    "truncated-no-eof.pdf": lambda: BASIC.read_bytes()[:-7],
    "broken-xref.pdf": broken_xref,
    "bomb-flate.pdf": bomb_flate,
    "huge-content-stream.pdf": huge_content_stream,
    "missing-t4.txt": lambda: zhangdian_without("四、政府信息公开行政复议", "五、"),
    "missing-t3.txt": lambda: zhangdian_without("三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议"),
    "script-labels.html": script_labels_html,
    "script-labels.docx": script_labels_docx,
    "zip-bomb.zip": zip_bomb,
    "zip-slip.zip": zip_slip,
    "zip-control-names.zip": zip_control_names,
}
LARGE: dict[str, Callable[[], bytes]] = {
    "pages-2000.pdf": many_pages,
    "nested-100k.pdf": nested,
}


def write_large(folder: Path) -> dict[str, Path]:
    """The large inputs, written into `folder` (a temporary one in the tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, make in LARGE.items():
        out[name] = folder / name
        if not out[name].exists():
            out[name].write_bytes(make())
    return out


def main() -> None:
    if sys.argv[1:2] == ["--large"]:
        write_large(Path(sys.argv[2]))
        return
    for name, make in SMALL.items():
        (HERE / name).write_bytes(make())
    english_paper(HERE / "english-paper.pdf")
    print(f"wrote {len(SMALL) + 1} files to {HERE}")


if __name__ == "__main__":
    main()
