"""Generated fixtures (PDF and Word) carry their ground truth (NAME.truth.json, written by the script that
made them): every cell's printed text and value, the metadata and the rules the document
breaks. The parser must reproduce all of it, independently of the golden files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gkcore

from .conftest import FIXTURES, REPORT_SUFFIXES

TRUTHS = sorted((FIXTURES / "generated").glob("*.truth.json"))


def _document(truth: Path) -> Path:
    """The document a truth file describes (a generated PDF or Word file)."""
    stem = truth.name.removesuffix(".truth.json")
    found = [p for p in truth.parent.glob(f"{stem}.*") if p.suffix in REPORT_SUFFIXES]
    assert len(found) == 1, f"one document for {truth.name}, found {found}"
    return found[0]


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.name.removesuffix(".truth.json"))
def test_cells_equal_truth(truth_path: Path) -> None:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    report = gkcore.parse_file(_document(truth_path))
    got = {(c.table, c.row, c.col): c for c in report.cells}
    want = {(c["table"], c["row"], c["col"]): c for c in truth["cells"]}
    assert set(got) == set(want), "the same set of template cells"
    wrong = [(k, got[k].raw, got[k].value, w["raw"], w["value"]) for k, w in want.items()
             if got[k].raw != w["raw"] or got[k].value != w["value"]]
    assert wrong == []
    assert [c.ref for c in report.cells if c.flag] == []


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.name.removesuffix(".truth.json"))
def test_metadata_equals_truth(truth_path: Path) -> None:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    m = gkcore.parse_file(_document(truth_path)).meta
    assert (m.agency, m.region, m.region_code, m.year, m.template, m.pages) == (
        truth["agency"], truth["region"], truth["region_code"], truth["year"], truth["template"], truth["pages"])


def _failing(truth: dict) -> set[tuple[str, str]]:
    out = set()
    for f in truth["failing_rules"]:
        scope = f"col:{f['col']}" if "col" in f else f"row:{f['row']}"
        out.add((f["rule"], scope))
    return out


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.name.removesuffix(".truth.json"))
def test_rule_failures_equal_truth(truth_path: Path) -> None:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    report = gkcore.parse_file(_document(truth_path))
    got = {(k.rule, k.scope) for k in report.checks if k.status == "fail" and not k.rule.startswith("prose_")}
    assert got == _failing(truth)
