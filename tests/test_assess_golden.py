"""The bundled samples (data/samples) against their golden assessments (tests/golden/assess/NAME.json),
graded together as the library grades them (a body's report of the year before is among them).

The goldens were checked by hand, criterion by criterion, against the documents: see
docs/assessment.md ("How the goldens were checked"). `pytest --regen-golden` rewrites them; a
changed golden is reviewed the same way before it is committed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gkcore
from gkcore.assess.batch import assess_reports
from gkcore.assess.result import from_dict
from gkcore.parse.version import DOCUMENT_SUFFIXES

from .conftest import GOLDEN

SAMPLES = sorted(p for p in (Path(__file__).parent.parent / "data" / "samples").iterdir()
                 if p.suffix.lower() in DOCUMENT_SUFFIXES)
DIR = GOLDEN / "assess"


@pytest.fixture(scope="module")
def graded() -> dict[str, dict[str, object]]:
    done = assess_reports([gkcore.parse_file(p) for p in SAMPLES])
    return {p.name: a.to_dict() for p, a in zip(SAMPLES, done, strict=True)}


@pytest.mark.parametrize("name", [p.name for p in SAMPLES])
def test_sample_matches_its_golden_assessment(name: str, graded: dict[str, dict[str, object]], regen: bool) -> None:
    path = DIR / f"{name}.json"
    text = json.dumps(graded[name], ensure_ascii=False, indent=1) + "\n"
    if regen:
        DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        pytest.skip(f"rewrote {path.name}")
    assert path.exists(), f"no golden file {path}; run pytest --regen-golden and check it by hand"
    assert text == path.read_text(encoding="utf-8")
    back = from_dict(json.loads(text))
    assert back.to_dict() == graded[name]


def test_every_golden_has_a_sample() -> None:
    assert sorted(p.name.removesuffix(".json") for p in DIR.glob("*.json")) == [p.name for p in SAMPLES]
