"""The one box type (gkcore/model/box.py): a NamedTuple that stands wherever a 4-tuple stood (equal,
same hash, same JSON, pickled across the parse's child process), carried from a PDF's characters
through the ruled cells to the cells of a report and back from its frames."""

from __future__ import annotations

import json
import pickle

from gkcore import cells_frame, parse_file, reports_frame
from gkcore.model.box import Box
from gkcore.model.frames import checks_frame, figures_frame, report_from_frames
from gkcore.parse.readers.layout import grid_rows
from gkcore.parse.readers.pdfgeom import Char

from .conftest import FIXTURES

HUAIAN = FIXTURES / "real" / "jiangsu-huaian_2024_shi-zhengfu.pdf"


def test_a_box_is_the_tuple_it_replaces() -> None:
    b = Box(10.5, 20.0, 40.25, 32.0)
    assert b == (10.5, 20.0, 40.25, 32.0) and hash(b) == hash((10.5, 20.0, 40.25, 32.0))
    assert json.dumps(b) == "[10.5, 20.0, 40.25, 32.0]"
    assert pickle.loads(pickle.dumps(b)) == b and type(pickle.loads(pickle.dumps(b))) is Box
    assert (b.width, b.height, b.area) == (29.75, 12.0, 29.75 * 12.0)
    pixels = Box(3, 4, 10, 20)
    assert (pixels.width, pixels.height, pixels.area) == (7, 16, 112) and isinstance(pixels.area, int)


def test_ruled_cells_give_their_box_to_the_values_read_in_them() -> None:
    label, value = Box(0.0, 0.0, 100.0, 20.0), Box(100.0, 0.0, 150.0, 20.0)
    chars = [Char("申", 5, 5, 15, 15), Char("请", 15, 5, 25, 15),
             Char("4", 120, 5, 126, 15), Char("2", 126, 5, 132, 15)]
    rows = grid_rows([[label, value]], chars, page=3)
    assert rows is not None and [r.label for r in rows] == ["申请"]
    cell = rows[0].values[0]
    assert cell.text == "42" and cell.bbox == value and type(cell.bbox) is Box and cell.bbox.x0 == 100.0
    assert chars[2].bbox == Box(120, 5, 126, 15) and type(chars[2].bbox) is Box


def test_a_parsed_pdf_cell_keeps_a_box_through_the_frames() -> None:
    report = parse_file(HUAIAN)
    boxed = [c for c in report.cells if c.bbox is not None]
    assert len(boxed) > 100
    assert all(type(c.bbox) is Box and c.bbox.x0 <= c.bbox.x1 and c.bbox.top <= c.bbox.bottom for c in boxed)
    again = report_from_frames(reports_frame([report]).iloc[0], cells_frame([report]), checks_frame([report]),
                               figures_frame([report]))
    assert [c.bbox for c in again.cells] == [c.bbox for c in report.cells]
    assert all(type(c.bbox) is Box for c in again.cells if c.bbox is not None)
