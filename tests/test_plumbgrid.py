"""gkcore/parse/readers/plumbgrid.py (pdfplumber's grid algorithms, copied so that a parse does
not import pdfplumber and pdfminer) against pdfplumber's own: every step, on the ruling lines of
every page of every fixture PDF, and on made-up rulings (broken, doubled, slightly off lines)."""

from __future__ import annotations

import random
from typing import Any

import pdfplumber.table as plumber
import pypdfium2 as pdfium
import pytest

from gkcore.parse.readers import plumbgrid as ours
from gkcore.parse.readers.pdf import _close
from gkcore.parse.readers.pdfgeom import page_edges

from .conftest import BAD, FIXTURES

PDFS = sorted(p for sub in ("real", "generated", "ugly", "scanned") for p in (FIXTURES / sub).glob("*.pdf"))
PDFS += [BAD / n for n in ("budget-report.pdf", "english-paper.pdf")]


def _same(edges: list[dict[str, Any]]) -> int:
    """Both give the same at every step; the number of cells found."""
    merged = ours.merge_edges(edges, 3, 3, 3, 3)
    assert merged == plumber.merge_edges(edges, 3, 3, 3, 3)
    points = ours.edges_to_intersections(merged, 3, 3)
    assert points == plumber.edges_to_intersections(merged, 3, 3)
    assert list(points) == list(plumber.edges_to_intersections(merged, 3, 3))
    cells = ours.intersections_to_cells(points)
    assert cells == plumber.intersections_to_cells(points)
    assert ours.cells_to_tables(cells) == plumber.cells_to_tables(cells)
    return len(cells)


def test_same_grid_on_every_fixture_page() -> None:
    pages = cells = 0
    for path in PDFS:
        doc = pdfium.PdfDocument(path.read_bytes())
        try:
            for i in range(len(doc)):
                edges = page_edges(doc[i])
                for e in (edges, _close(edges)):
                    if e:
                        cells += _same(e)
                        pages += 1
        finally:
            doc.close()
    assert pages >= 50 and cells >= 1000     # the ruled fixtures' tables are there


def _edge(orientation: str, a: float, b0: float, b1: float) -> dict[str, Any]:
    if orientation == "h":
        return {"orientation": "h", "x0": b0, "x1": b1, "top": a, "bottom": a, "doctop": a, "width": b1 - b0,
                "height": 0.0}
    return {"orientation": "v", "x0": a, "x1": a, "top": b0, "bottom": b1, "doctop": b0, "width": 0.0,
            "height": b1 - b0}


@pytest.mark.parametrize("seed", range(40))
def test_same_grid_on_made_up_rulings(seed: int) -> None:
    rnd = random.Random(seed)
    rows = sorted(rnd.sample(range(50, 750), rnd.randint(2, 12)))
    cols = sorted(rnd.sample(range(40, 560), rnd.randint(2, 9)))
    edges = []
    for y in rows:                                   # lines broken in pieces, doubled, a little off
        for _ in range(rnd.randint(1, 3)):
            a, b = sorted(rnd.uniform(cols[0] - 5, cols[-1] + 5) for _ in range(2))
            edges.append(_edge("h", y + rnd.choice([0, 0, 0.4, -1.7, 2.9, 3.5]), a, b))
        edges.append(_edge("h", y, cols[0], cols[-1]))
    for x in cols:
        for _ in range(rnd.randint(0, 2)):
            a, b = sorted(rnd.uniform(rows[0] - 5, rows[-1] + 5) for _ in range(2))
            edges.append(_edge("v", x + rnd.choice([0, 0, 0.2, -2.5, 3.1]), a, b))
        if rnd.random() < 0.8:
            edges.append(_edge("v", x, rows[0], rows[-1]))
    rnd.shuffle(edges)
    _same(edges)
