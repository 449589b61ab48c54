"""Scanned reports through offline OCR, against their text twins: every cell either right or
flagged unsure (never silently wrong), only the pages that need it recognised, and low
confidence or a failed rule turning recognised cells "unsure"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import gkcore
from gkcore.errors import ScanUnreadable
from gkcore.model import FLAG_UNSURE, UNSURE
from gkcore.parse import pipeline, scanchecks
from gkcore.parse.readers import ocr, pageimage
from gkcore.parse.readers.base import RawCell, RawRow, Section
from gkcore.parse.tables import map_tables
from gkcore.parse.template import load
from gkcore.present.messages import note_text

from .conftest import FIXTURES

if TYPE_CHECKING:
    import numpy as np

SCANS = {
    "scan-huaian-2024-mixed.pdf": ("jiangsu-huaian_2024_shi-zhengfu.pdf", "3,4,5"),
    "scan-hongze-2024-full.pdf": ("jiangsu-huaian-hongze_2024_qu-zhengfu.pdf", "1,2,3,4,5"),
    "scan-hongze-2023-300dpi.pdf": ("jiangsu-huaian-hongze_2023_qu-zhengfu.pdf", "3,4"),
}

pytestmark = pytest.mark.skipif(not ocr.available(), reason="rapidocr/opencv not installed")


@pytest.fixture(scope="module")
def parsed() -> dict[str, tuple[gkcore.ParsedReport, gkcore.ParsedReport, list[tuple[int, int]]]]:
    """Each scan parsed once (OCR takes seconds a page), with its twin and the progress calls."""
    out = {}
    for scan, (twin, _pages) in SCANS.items():
        calls: list[tuple[int, int]] = []
        data = (FIXTURES / "scanned" / scan).read_bytes()
        report = pipeline.parse_bytes(data, scan, lambda i, n, calls=calls: calls.append((i, n)))
        out[scan] = (report, gkcore.parse_file(FIXTURES / "real" / twin), calls)
    return out


@pytest.mark.parametrize("scan", list(SCANS))
def test_no_cell_is_silently_wrong(scan: str, parsed: dict) -> None:  # type: ignore[type-arg]
    report, twin, _ = parsed[scan]
    truth = {c.ref: c for c in twin.cells}
    got = {c.ref: c for c in report.cells}
    assert set(got) == set(truth)
    wrong = [(ref, got[ref].raw, t.raw) for ref, t in truth.items() if got[ref].raw != t.raw]
    silent = [w for w in wrong if got[w[0]].flag != FLAG_UNSURE]
    assert silent == []
    # measured: every cell of both scans is read right (none even needs the unsure flag)
    assert wrong == []


@pytest.mark.parametrize("scan", list(SCANS))
def test_only_pages_without_text_are_recognised(scan: str, parsed: dict) -> None:  # type: ignore[type-arg]
    report, twin, calls = parsed[scan]
    pages = SCANS[scan][1]
    assert report.meta.ocr_pages == pages
    n = len(pages.split(","))
    assert calls == [(i, n) for i in range(1, n + 1)]
    assert (report.meta.agency, report.meta.year, report.meta.region_code) == (
        twin.meta.agency, twin.meta.year, twin.meta.region_code)
    assert {t.table: t.method for t in report.tables} == {"t2": "grid", "t3": "grid", "t4": "grid"}


def test_scanned_cells_keep_their_place_on_the_page(parsed: dict) -> None:  # type: ignore[type-arg]
    report, twin, _ = parsed["scan-huaian-2024-mixed.pdf"]
    got, want = report.cell("t3", "new_received", "total"), twin.cell("t3", "new_received", "total")
    assert got is not None and want is not None and got.bbox and want.bbox and got.page == want.page == 4
    assert abs(got.bbox[0] - want.bbox[0]) < 15 and abs(got.bbox[1] - want.bbox[1]) < 15


def test_low_confidence_cell_is_unsure() -> None:
    t3 = [RawRow("一、本年新收政府信息公开申请数量",
                 tuple(RawCell(v, 1, conf=0.55 if i == 0 else 0.99) for i, v in enumerate("8000008")))]
    cells, _ = map_tables(load("2021"), {"t3": Section("t3", tuple(t3), (1,), "grid")})
    first = next(c for c in cells if c.ref == "t3.new_received.natural_person")
    assert (first.flag, first.note) == (FLAG_UNSURE, 'ocr_confidence{"conf": "0.55"}')
    assert (note_text(first.note, "zh"), note_text(first.note, "en")) == ("OCR 识别置信度低（0.55）",
                                                                          "Low OCR confidence (0.55)")
    assert next(c for c in cells if c.ref == "t3.new_received.total").flag == ""


def test_failed_rule_on_scanned_cells_means_unsure_not_fail() -> None:
    twin = gkcore.parse_file(FIXTURES / "real" / "jiangsu-huaian_2024_shi-zhengfu.pdf")
    template = load("2021")
    cells = [c if c.ref != "t3.granted.total" else c.__class__(**{**c.__dict__, "raw": "1382", "value": 1382})
             for c in twin.cells]                                   # a misread 6 -> 8 on page 4
    checks = gkcore.parse.checks.check_rules(template, cells)
    assert any(k.status == "fail" for k in checks)
    cells2, checks2 = scanchecks.distrust_ocr(template, cells, list(twin.figures), checks, {4})
    assert {k.flat() for k in checks2 if k.status != "pass"} == {
        ("t3_outcome_sum", "col:total", UNSURE), ("t3_row_total", "row:granted", UNSURE)}
    assert [c.ref for c in cells2 if c.flag == FLAG_UNSURE] == ["t3.granted.total"]   # the shared suspect


def test_blank_that_breaks_a_rule_as_zero_is_unsure_with_its_readings() -> None:
    twin = gkcore.parse_file(FIXTURES / "real" / "jiangsu-huaian_2024_shi-zhengfu.pdf")
    template = load("2021")
    lost = next(c for c in twin.cells if c.ref == "t3.granted.total")
    assert lost.value and lost.page is not None
    cells = [c if c.ref != lost.ref else c.__class__(**{**c.__dict__, "raw": "", "value": None})
             for c in twin.cells]                                   # a figure the recogniser never saw
    checks = gkcore.parse.checks.check_rules(template, cells)
    assert not any(k.status == "fail" for k in checks)              # a blank alone breaks no rule
    cells2, _ = scanchecks.distrust_ocr(template, cells, list(twin.figures), checks, {lost.page})
    flagged = [c for c in cells2 if c.flag == FLAG_UNSURE]
    assert [c.ref for c in flagged] == [lost.ref]
    assert note_text(flagged[0].note, "zh").endswith(f"可能为 空白 或 {lost.value}")
    assert note_text(flagged[0].note, "en").endswith(f": blank or {lost.value}")
    # on a page that was not scanned, a blank is the report's own
    cells3, _ = scanchecks.distrust_ocr(template, cells, list(twin.figures), checks, {lost.page + 1})
    assert not any(c.flag == FLAG_UNSURE for c in cells3)


def test_a_recognised_line_with_spaces_keeps_each_glyph_on_its_ink() -> None:
    """The recogniser boxes every character but the spaces it reads between words ("结果纠 其他结"):
    the glyphs keep their own boxes, never spread in equal steps over the whole line."""
    from gkcore.parse.readers import glyphs

    def box(ch: str, x0: float, x1: float) -> tuple[str, float, list[tuple[float, float]]]:
        return ch, 0.99, [(x0, 10.0), (x1, 10.0), (x1, 30.0), (x0, 30.0)]

    chars = [box("结", 0, 17), box("果", 17, 35), box("纠", 35, 53), box("其", 110, 127), box("他", 127, 145)]
    ((text, _, spans),) = glyphs.gaps("结果纠 其他", (0, 10, 145, 30), chars)
    assert text == "结果纠 其他"
    assert [(ch, a) for ch, a, _ in spans if ch != " "] == [("结", 0), ("果", 17), ("纠", 35), ("其", 110), ("他", 127)]


def test_han_glyphs_of_one_word_abut_as_a_text_layer_s_do() -> None:
    """A serif face inks each character well inside its place: within one recognised word, Han
    characters closer than half the word's height touch, so one label is one token; header words
    of two columns (wider apart) and figures stay apart."""
    from gkcore.parse.readers.pdfgeom import Char

    run = [Char("方", 197.0, 278.0, 203.0, 286.5), Char("合", 205.0, 278.0, 210.0, 286.5),
           Char("维", 77.0, 278.0, 85.0, 286.5), Char("结", 93.5, 278.0, 102.5, 286.5)]
    out = ocr._abut(run, 11.0)
    assert out[0].x1 == 205.0                    # 方 reaches 合
    assert out[2].x1 == 85.0                     # 维 and the next column's 结: 8.5 pt apart, kept


def test_a_lone_dash_is_a_cells_dash_and_a_minus_sign_keeps_its_figure() -> None:
    """"0 — 110" read as "0-110": the dash stands alone, so it is the cell's "—"; in "-1" the minus
    sign touches its "1" (a "1" is inked inside its place) and stays a minus."""
    from gkcore.parse.readers.pdfgeom import Char

    row = [Char("0", 457.0, 386.0, 462.0, 394.0), Char("-", 470.0, 390.0, 475.5, 391.0),
           Char("1", 482.5, 386.0, 487.5, 394.0),
           Char("-", 439.0, 420.0, 443.5, 421.0), Char("1", 443.0, 416.0, 445.0, 424.0)]
    assert [c.text for c in ocr._lone_dashes(row, 11.0)] == ["0", "—", "1", "-", "1"]


def test_a_one_whose_box_took_in_its_neighbours_edge_stays_a_one() -> None:
    """The recogniser's box for a "1" may take in the edge of the "5" beside it: the two are read apart,
    never as one flat stroke (a dash)."""
    import numpy as np

    from gkcore.parse.readers import glyphs

    page = np.full((30, 50), 235, dtype=np.uint8)
    page[9:21, 10:13] = 20             # the "1": a thin upright stroke
    page[9:15, 45:49] = 40             # the edge of the next "5"
    assert glyphs.reread(page, "1", (0, 0, 50, 30))[0] == "1"


def test_a_doubtful_run_of_strokes_is_looked_at_glyph_by_glyph() -> None:
    """Two cells' "/ /" read as "11" at a low score: each stroke is reread alone (and leans: "/")."""
    import numpy as np

    from gkcore.parse.readers import glyphs

    parts = [("11", (0, 0, 60, 30), [("1", 0, 20), ("1", 40, 60)])]
    assert [p[0] for p in glyphs.strokes(parts, 0.53)] == ["1", "1"]
    assert [p[0] for p in glyphs.strokes(parts, 0.95)] == ["11"]       # a sure "11" stays one number
    page = np.full((30, 60), 235, dtype=np.uint8)
    for x0 in (0, 40):
        for y in range(6, 24):                  # a stroke leaning right, as "/" does
            x = x0 + 6 + (24 - y) // 3
            page[y, x:x + 2] = 20
    assert [glyphs.reread(page, p[0], p[1])[0] for p in glyphs.strokes(parts, 0.53)] == ["/", "/"]
    # read "11" at 0.93 (seed 3400073): sure, but twice as wide as two strokes need, and each leans: cut
    assert [glyphs.reread(page, p[0], p[1])[0] for p in glyphs.strokes(parts, 0.93, page)] == ["/", "/"]
    upright = np.full((30, 60), 235, dtype=np.uint8)
    upright[6:24, 8:10] = upright[6:24, 48:50] = 20              # two upright strokes as far apart: a "11"
    assert [p[0] for p in glyphs.strokes(parts, 0.93, upright)] == ["11"]



def _crop(name: str) -> np.ndarray:
    """A crop of a generated poor scan's page as the reader sees it (deskewed, rules painted out)."""
    import cv2

    return cv2.imread(str(Path(__file__).parent / "fixtures/crops" / name), cv2.IMREAD_GRAYSCALE)


def test_a_slash_read_as_a_seven_is_a_slash_and_a_leaning_seven_stays() -> None:
    """The recogniser reads a "/" of a poor scan as "7" (five cells of one 表三 at 0.6-0.95); a "7"'s bar rounds
    its ink, a slash's stroke is thin and leans further. The seven is the most leaning one of the scans
    measured (77.6°); another's bar faded, its darkest ink a leaning stroke: with its lighter ink it stands
    upright (85°)."""
    from gkcore.parse.readers import glyphs

    assert glyphs.reread(_crop("slash-read-seven.png"), "7", glyphs.Box(20, 20, 41, 49)) == ("/", None)
    assert glyphs.reread(_crop("seven-leaning.png"), "7", glyphs.Box(20, 20, 41, 46)) == ("7", None)
    assert glyphs.reread(_crop("seven-faint-bar.png"), "7", glyphs.Box(20, 20, 41, 45)) == ("7", None)   # its bar


def test_a_slash_whose_box_stops_inside_it_is_measured_whole() -> None:
    """The recogniser's box round a "/" held five of its columns, a speck among them: measured in the box, the
    stroke's piece stood upright ("1", read without a flag). Its ink joined beyond the box is followed, the
    speck left out."""
    from gkcore.parse.readers import glyphs

    assert glyphs.reread(_crop("slash-cut-box-speck.png"), "1", glyphs.Box(20, 20, 25, 44)) == ("/", None)



def test_a_dash_read_as_a_figure_is_a_dash_by_its_flat_ink() -> None:
    """A ruled cell's "—" read "2" with a sure score (seed 3400068, wrong without a flag): a figure's ink is
    never flat, so it is a "—", unsure; a "2" of the same page stays as read."""
    from gkcore.parse.readers import glyphs

    assert glyphs.reread(_crop("dash-read-two.png"), "2", glyphs.Box(20, 20, 44, 43)) == ("—", glyphs.DOUBT)
    assert glyphs.reread(_crop("figure-two.png"), "2", glyphs.Box(20, 20, 43, 47)) == ("2", None)


def test_a_figure_read_with_middling_confidence_is_read_again_and_unsure_where_they_differ() -> None:
    """"174" read "124" at 0.91 on a 100 dpi scan, shown clean: a figure scored between the clean threshold and
    0.97 is read once more, alone and larger ("174"); the readings differ, so it is unsure. Reading the same, it
    stays as read; the band starts where cells are shown clean (tables.OCR_MIN_CONF)."""
    from gkcore.parse.readers.settings import SETTINGS
    from gkcore.parse.tables import OCR_MIN_CONF

    crop = _crop("figure-174-read-124.png")
    box = (20, 20, crop.shape[1] - 20, crop.shape[0] - 20)
    assert ocr._disputed(crop, "124", box) and not ocr._disputed(crop, "174", box)
    assert SETTINGS.second_read_low == OCR_MIN_CONF
    assert ocr._doubtful(0.91) and not ocr._doubtful(0.99) and not ocr._doubtful(0.5)


def _page(lines: bool, tilt: float = 0.0) -> np.ndarray:
    """A white A4-ish page image (144 dpi); with `lines`, a ruled table's long rules tilted `tilt`°."""
    import cv2
    import numpy as np

    gray = np.full((1600, 1200), 255, np.uint8)
    cv2.putText(gray, "2024 1 23", (100, 100), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)    # short marks only
    if lines:
        for y in range(300, 1300, 100):
            cv2.line(gray, (100, y), (1100, y), 0, 2)
        m = cv2.getRotationMatrix2D((600, 800), tilt, 1.0)
        gray = cv2.warpAffine(gray, m, (1200, 1600), borderValue=255)
    return gray


def test_deskew_leaves_a_page_without_long_lines_as_it_is() -> None:
    import numpy as np

    gray = _page(lines=False)
    out, angle = pageimage.deskew(gray)
    assert angle == 0.0 and out is gray and np.isfinite(out).all()


def test_deskew_straightens_a_page_by_its_rules() -> None:
    out, angle = pageimage.deskew(_page(lines=True, tilt=1.2))
    assert abs(abs(angle) - 1.2) < 0.1
    assert (out < 128).any()                 # the page is still there, not rotated into nothing


def test_no_line_found_is_no_angle_in_either_opencv_answer() -> None:
    import numpy as np

    assert pageimage.skew_angle(None) is None                               # OpenCV 4: no line
    assert pageimage.skew_angle(np.empty((0, 1, 2), np.float32)) is None    # OpenCV 5: an empty array
    assert pageimage.skew_angle(np.array([[[100.0, np.nan]]])) is None       # never a NaN angle
    assert pageimage.skew_angle(np.array([[[100.0, np.pi / 2 + np.radians(1)]]])) == pytest.approx(1.0)


def test_a_scan_the_recogniser_reads_nothing_of_names_its_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """A recogniser that finds no text on inked pages (as OpenCV 5 once made it) is a fault of the
    scan or the installation, said so with the pages: never "not an annual report"."""
    from types import SimpleNamespace

    empty = SimpleNamespace(txts=(), boxes=None, scores=(), word_results=())
    monkeypatch.setattr(ocr, "_engine", lambda: lambda *a, **k: empty)
    data = (FIXTURES / "scanned" / "scan-hongze-2024-full.pdf").read_bytes()
    with pytest.raises(ScanUnreadable, match=r"扫描件方向正确.*第 1、2、3、4、5 页未读出文字") as info:
        pipeline.parse_bytes(data, "scan.pdf")
    assert "不是政府信息公开工作年度报告" not in str(info.value) and "page 1, 2, 3, 4, 5" in str(info.value)


def test_a_slash_read_as_a_dash_is_a_slash_by_its_ink() -> None:
    """The recogniser now and then names a "/" a dash, sure of it under one OpenCV version and
    unsure under another: the ink's shape (a thin stroke leaning right) settles it either way,
    while a flat dash stays a dash."""
    import cv2
    import numpy as np

    from gkcore.parse.readers import glyphs

    page = np.full((40, 120), 250, np.uint8)
    cv2.line(page, (20, 32), (30, 8), 30, 2)          # a slash, about 67° from the flat
    cv2.line(page, (70, 20), (100, 20), 30, 2)        # a dash
    assert glyphs.reread(page, "—", (10, 2, 40, 38)) == ("/", None)
    assert glyphs.reread(page, "-", (62, 2, 108, 38)) == ("—", None)


def _arena_and_spin(session: Any) -> tuple[bool, str, str]:
    opts = session.session.get_session_options()
    return (opts.enable_cpu_mem_arena, opts.get_session_config_entry("session.intra_op.allow_spinning"),
            opts.get_session_config_entry("session.inter_op.allow_spinning"))


def test_the_engine_of_a_process_that_forks_keeps_no_arena_and_its_threads_sleep() -> None:
    """This pytest process forks parses afterwards (test_fuzz): its recogniser keeps no memory arena,
    whose address space a forked child under the parse's RLIMIT_AS would inherit; neither model's
    thread pools spin (ocr.SPIN). A RapidOCR that makes its sessions otherwise fails here."""
    engine = ocr._engine()
    assert _arena_and_spin(engine.text_det.session) == (False, "0", "0")
    assert _arena_and_spin(engine.text_rec.session) == (False, "0", "0")


_IN_A_PARSE_CHILD = """
import multiprocessing, os
from gkcore.parse import isolate
from gkcore.parse.limits import Limits
from gkcore.parse.readers import ocr
from tests.test_ocr import _arena_and_spin
recv, send = multiprocessing.Pipe(duplex=False)
isolate._child(send, b"not a report", "x.txt", Limits(), False, dict(os.environ))
print(recv.recv()[0])
engine = ocr._engine()
print(_arena_and_spin(engine.text_det.session), _arena_and_spin(engine.text_rec.session))
"""


def test_a_parse_child_alone_lets_its_recogniser_keep_the_arena() -> None:
    """The per-parse child (isolate._child: one parse, then it exits) asks for the recogniser's arena
    (ocr.keep_buffers); the detector's session never has one. Run in a process of its own, so this
    one never holds an arena."""
    out = subprocess.run([sys.executable, "-c", _IN_A_PARSE_CHILD], cwd=Path(__file__).parent.parent,
                         capture_output=True, text=True, timeout=120, check=True).stdout.split("\n")
    assert out[0] == "error"                              # the parse ran (and refused the junk)
    assert out[1] == "(False, '0', '0') (True, '0', '0')"
