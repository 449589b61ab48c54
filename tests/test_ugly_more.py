"""Issue 10, classes 4-6: printed web pages (Chromium's header and footer on every page), scans
and run-together web-page text. Fixed-seed documents of tests/gen (webprint.py, scan.py,
runtogether.py) are committed in tests/fixtures/ugly/ with their truth; regenerate them with

    .venv/bin/python tests/test_ugly_more.py          (needs /usr/bin/chromium)

Each document must give every template cell right, or flagged unsure with the printed text among
the readings its note lists when it lists any; no cell may be wrong without a flag; the agency,
year and region are those of the document's own title, never of the page furniture."""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))      # run as a script from anywhere (regenerating the fixtures)

import pytest  # noqa: E402

import gkcore  # noqa: E402
from gkcore.model import FLAG_UNSURE  # noqa: E402
UGLY = HERE / "fixtures" / "ugly"
SEEDS = {"webprint": [1, 2, 3, 4, 5], "scan": [1, 2, 3], "runtogether": [1, 2, 3, 4, 5, 6]}
DOCS = sorted(p for cls in SEEDS for p in UGLY.glob(f"{cls}-*") if not p.name.endswith(".truth.json"))


def _truth(doc: Path) -> dict:  # type: ignore[type-arg]
    import json

    return json.loads(doc.with_name(doc.stem + ".truth.json").read_text(encoding="utf-8"))


def readings(note: str) -> list[str]:
    """The readings an unsure cell's note lists ("可能为 1 或 17", "空白" for a blank cell)."""
    m = re.search(r"可能为\s*(.*)$", note)
    return ["" if r == "空白" else r for r in re.split(r"\s*或\s*", m.group(1).strip())] if m else []


@pytest.fixture(scope="module", params=DOCS, ids=lambda p: p.name)
def parsed(request: pytest.FixtureRequest) -> tuple[Path, dict, gkcore.ParsedReport]:  # type: ignore[type-arg]
    doc = request.param
    return doc, _truth(doc), gkcore.parse_file(doc)


def test_every_cell_right_or_flagged_with_its_reading(parsed) -> None:  # type: ignore[no-untyped-def]
    _, truth, report = parsed
    got = {(c.table, c.row, c.col): c for c in report.cells}
    assert set(got) == {(c["table"], c["row"], c["col"]) for c in truth["cells"]}
    silent, unlisted = [], []
    for w in truth["cells"]:
        c = got[(w["table"], w["row"], w["col"])]
        if c.raw == w["raw"] and c.value == w["value"]:
            continue
        if c.flag != FLAG_UNSURE:
            silent.append((c.ref, c.raw, w["raw"]))
        elif readings(c.note) and w["raw"] not in readings(c.note):
            unlisted.append((c.ref, c.note, w["raw"]))
    assert silent == [], "cells wrong without a flag"
    assert unlisted == [], "unsure cells whose listed readings miss the printed text"


def test_identity_from_the_title_never_the_furniture(parsed) -> None:  # type: ignore[no-untyped-def]
    _, truth, report = parsed
    m = report.meta
    assert (m.agency, m.year, m.region, m.region_code) == (
        truth["agency"], truth["year"], truth["region"], truth["region_code"])


def test_no_furniture_in_any_cell(parsed) -> None:  # type: ignore[no-untyped-def]
    doc, _, report = parsed
    if not doc.name.startswith("webprint"):
        pytest.skip("printed web pages only")
    assert [c.ref for c in report.cells if re.search(r"file:|https?:|\d+/\d+|:\d\d", c.raw)] == []


def main() -> None:
    from tests.gen import make

    UGLY.mkdir(parents=True, exist_ok=True)
    for cls, seeds in SEEDS.items():
        for seed in seeds:
            print(make(cls, seed, UGLY))


if __name__ == "__main__":
    main()
