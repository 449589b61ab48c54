"""What an assessment is: one result per criterion (status, score, evidence, message in Chinese
and English), warnings apart, and the weighted score. Frozen dataclasses; `results_frame` and
`to_json` give the tables and files the pages, the index and the command line use."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

MET, NOT_MET, CANNOT_TELL = "met", "not_met", "cannot_tell"
STATUSES = (MET, NOT_MET, CANNOT_TELL)
STATUS_LABELS = {MET: ("符合", "met"), NOT_MET: ("不符合", "not met"), CANNOT_TELL: ("无法判断", "cannot tell")}

# evidence kinds
QUOTE, DATE, CELL, CHECK, SENTENCE, SECTION = "quote", "date", "cell", "check", "sentence", "section"

#: the columns of results_frame (one row per report and criterion)
RESULT_COLUMNS = ("report_id", "agency", "region", "region_code", "year", "criterion", "name", "name_en",
                  "status", "score", "weight", "value", "message", "message_en", "evidence")
#: the columns of scores_frame (one row per report)
SCORE_COLUMNS = ("report_id", "agency", "region", "region_code", "year", "assess_score", "assess_met",
                 "assess_not_met", "assess_cannot_tell", "assess_warnings")


@dataclass(frozen=True)
class Evidence:
    kind: str                 # QUOTE, DATE, CELL, CHECK, SENTENCE, SECTION
    text: str                 # the quoted words, a check's message, a value
    page: int | None = None
    ref: str = ""             # a cell "table.row.col", a check rule, a section code, another report's id


@dataclass(frozen=True)
class CriterionResult:
    code: str
    name: str
    name_en: str
    status: str               # one of STATUSES
    score: float | None       # 0..1 (None when it cannot be told)
    weight: float
    message: str              # Chinese
    message_en: str
    evidence: tuple[Evidence, ...] = ()
    value: float | None = None   # the figure behind it, e.g. the share of repeated sentences


@dataclass(frozen=True)
class Warning:
    code: str                 # e.g. "review_correction_rate_high"
    message: str
    message_en: str
    value: float | None = None
    peers: float | None = None   # the peers' median it was compared with


@dataclass(frozen=True)
class Assessment:
    report_id: str
    agency: str
    region: str
    region_code: str
    year: int | None
    criteria_id: str
    results: tuple[CriterionResult, ...]
    warnings: tuple[Warning, ...] = ()

    @property
    def score(self) -> float | None:
        """Points of 100 over the criteria that could be told (weights re-scaled); None if none."""
        told = [r for r in self.results if r.score is not None and r.weight > 0]
        total = sum(r.weight for r in told)
        if not total:
            return None
        return round(100 * sum(r.weight * (r.score or 0.0) for r in told) / total, 1)

    def result(self, code: str) -> CriterionResult | None:
        return next((r for r in self.results if r.code == code), None)

    def counts(self) -> dict[str, int]:
        return {s: sum(r.status == s for r in self.results) for s in STATUSES}

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["score"] = self.score
        return d


def evidence_text(ev: Iterable[Evidence]) -> str:
    """Evidence as one cell of a table: “p.3 ‘…’” joined by “ | ”."""
    out = []
    for e in ev:
        where = f"p.{e.page} " if e.page is not None else ""
        ref = f"[{e.ref}] " if e.ref else ""
        out.append(f"{where}{ref}“{e.text}”")
    return " | ".join(out)


def results_frame(assessments: Iterable[Assessment]) -> pd.DataFrame:
    rows = [(a.report_id, a.agency, a.region, a.region_code, a.year, r.code, r.name, r.name_en, r.status, r.score,
             r.weight, r.value, r.message, r.message_en, evidence_text(r.evidence))
            for a in assessments for r in a.results]
    df = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    df["year"] = df["year"].astype("Int64")
    for c in ("score", "weight", "value"):
        df[c] = df[c].astype("float64")
    return df


def scores_frame(assessments: Iterable[Assessment]) -> pd.DataFrame:
    rows = []
    for a in assessments:
        c = a.counts()
        rows.append((a.report_id, a.agency, a.region, a.region_code, a.year, a.score, c[MET], c[NOT_MET],
                     c[CANNOT_TELL], len(a.warnings)))
    df = pd.DataFrame(rows, columns=list(SCORE_COLUMNS))
    df["year"] = df["year"].astype("Int64")
    df["assess_score"] = df["assess_score"].astype("float64")
    return df


def to_json(assessments: Iterable[Assessment]) -> str:
    return json.dumps([a.to_dict() for a in assessments], ensure_ascii=False, indent=1)


def from_dict(d: dict[str, object]) -> Assessment:
    """The inverse of Assessment.to_dict (the golden files are read back with it)."""
    results: list[dict[str, Any]] = d["results"]  # type: ignore[assignment]
    res = tuple(CriterionResult(**{**r, "evidence": tuple(Evidence(**e) for e in r["evidence"])}) for r in results)
    warns = tuple(Warning(**w) for w in d["warnings"])  # type: ignore[attr-defined]
    year = d["year"]
    return Assessment(str(d["report_id"]), str(d["agency"]), str(d["region"]), str(d["region_code"]),
                      None if year is None else int(year), str(d["criteria_id"]), res, warns)  # type: ignore[call-overload]
