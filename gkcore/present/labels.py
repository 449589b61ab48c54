"""What a frame looks like on screen: its columns named in the user's language, its coded values
(status, flag, rule, …) in words, and a missing value as "—" with its reason where one is known
(a rate whose denominator is 0). The vocabulary is data: labels.toml beside this module.

Only for display: exports keep the spec's English codes exactly and never pass through here."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import pandas as pd

from ..model import REPORT_ID
from ..model.datafile import read_toml
from ..model.metrics import BY_CODE, RATE, RATE_BASE, SCORE
from .placenames import region_name

MISSING = "—"
REGION_COLUMNS = ("region", "place")     # Chinese place names, shown in English (placenames.py) in English


@dataclass(frozen=True)
class Term:
    zh: str
    en: str
    code_only: bool = False

    def say(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Vocabulary:
    columns: dict[str, Term]
    values: dict[str, dict[str, Term]]
    missing: dict[str, Term]


@cache
def vocabulary() -> Vocabulary:
    data = read_toml("gkcore.present", "labels.toml")

    def terms(d: dict[str, dict[str, object]]) -> dict[str, Term]:
        return {k: Term(str(v["zh"]), str(v["en"]), bool(v.get("code_only", False))) for k, v in d.items()}

    return Vocabulary(terms(data["columns"]), {k: terms(v) for k, v in data["values"].items()},
                      terms(data["missing"]))


def column_label(name: str, lang: str = "zh", show_codes: bool = False) -> str:
    """A column's header: its label (a metric's from METRICS), with the code in brackets when the
    codes are shown. A name the vocabulary does not know (a report's label as a column) is kept."""
    v = vocabulary()
    if name in v.columns:
        label = v.columns[name].say(lang)
    elif name in BY_CODE:
        m = BY_CODE[name]
        label = m.label_en if lang == "en" else m.label
    else:
        return name
    return f"{label} [{name}]" if show_codes else label


def value_label(column: str, value: object, lang: str = "zh", show_codes: bool = False) -> object:
    """A coded value in words (the value unchanged when its column has no coded values)."""
    table = vocabulary().values.get(column)
    if table is None or not isinstance(value, str) or value not in table:
        return value
    word = table[value].say(lang)
    return f"{word} [{value}]" if show_codes and value else word


def missing_text(reason: str | None = None, lang: str = "zh") -> str:
    """"—", with the reason after it when known: "—（分母为 0）"."""
    if not reason:
        return MISSING
    why = vocabulary().missing[reason].say(lang)
    return f"{MISSING}（{why}）" if lang == "zh" else f"{MISSING} ({why})"


def _number(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.4g}"


def for_display(df: pd.DataFrame, lang: str = "zh", show_codes: bool = False,
                reasons: pd.DataFrame | None = None, always: tuple[str, ...] = ()) -> pd.DataFrame:
    """The frame as shown: code-only columns dropped (kept with show codes), coded values in
    words, missing values as "—" (with the reason from `reasons`, a frame of reason codes of the
    same shape, where given), columns named by column_label. Numeric columns without a missing
    value stay numeric (so they sort as numbers); a numeric column with one becomes text.
    Columns in `always` are shown even when code-only (the data dictionary's codes)."""
    v = vocabulary()
    keep = [c for c in df.columns if show_codes or c in always or not (c in v.columns and v.columns[c].code_only)]
    out = df[keep].copy()
    for c in keep:
        col = out[c]
        if c in REGION_COLUMNS and lang == "en":
            out[c] = pd.Series([x if _is_missing(x) else region_name(x, lang) for x in col.tolist()],
                               index=out.index, dtype=object)
            col = out[c]
        if c in v.values:
            words = [value_label(c, x, lang, show_codes) for x in col.tolist()]
            out[c] = pd.Series(words, index=out.index, dtype=object)
            col = out[c]
        if not col.isna().any():
            continue
        why = reasons[c] if reasons is not None and c in reasons.columns else None
        texts = []
        for i, x in enumerate(col.tolist()):
            if _is_missing(x):
                texts.append(missing_text(None if why is None else why.iloc[i] or None, lang))
            elif isinstance(x, float):
                texts.append(_number(x))
            else:
                texts.append(str(x))
        out[c] = pd.Series(texts, index=out.index, dtype=object)
    out.columns = [column_label(str(c), lang, show_codes) for c in keep]
    if out.index.name is not None:
        out.index.name = column_label(str(out.index.name), lang, show_codes)
    return out


def _is_missing(x: object) -> bool:
    return x is None or x is pd.NA or x is pd.NaT or (isinstance(x, float) and math.isnan(x))


# The count a rate is divided by (enough to tell "分母为 0" from "缺数" without the cells): RATE_BASE.
_DENOMINATOR = RATE_BASE


def metric_reasons(metrics: pd.DataFrame) -> pd.DataFrame:
    """For a metrics frame: why each missing figure is missing ("" where it is not): a rate whose
    count is 0 has denominator_zero, a count that is blank has blank, a rate whose count is known
    but which still has no value (every case pending, a part blank) is not_computable."""
    out = pd.DataFrame("", index=metrics.index, columns=metrics.columns, dtype=object)
    for c in metrics.columns:
        if c not in BY_CODE:
            continue
        na = metrics[c].isna()
        if c in _DENOMINATOR and _DENOMINATOR[c] in metrics.columns:
            den = metrics[_DENOMINATOR[c]]
            out.loc[na & (den == 0), c] = "denominator_zero"
            out.loc[na & den.isna(), c] = "blank"
            out.loc[na & (den > 0), c] = "not_computable"
        else:            # a score no criterion could be told of is not computable, not a blank cell
            out.loc[na, c] = "not_computable" if BY_CODE[c].kind == SCORE else "blank"
    return out


def figure_text(code: str, v: float) -> str:
    """A known figure of a metric as shown: a rate as a percentage, a score with one decimal
    (as graded), a count whole."""
    kind = BY_CODE[code].kind
    return f"{v:.1%}" if kind == RATE else f"{v:.1f}" if kind == SCORE else _number(v)


def metric_text(metrics_row: pd.Series, code: str, lang: str = "zh") -> str:
    """One figure of one report as shown: a percentage, a whole count, or "—" with its reason."""
    v = metrics_row.get(code)
    if v is None or _is_missing(v):
        reasons = metric_reasons(metrics_row.to_frame().T)
        return missing_text(str(reasons.iloc[0][code]) or None, lang)
    return figure_text(code, float(v))


def metrics_for_display(metrics: pd.DataFrame, lang: str = "zh", show_codes: bool = False) -> pd.DataFrame:
    """A metrics frame (report_id or labels as index, metric codes as columns) as shown: rates as
    percentages, counts whole, a missing figure as "—" with its reason."""
    reasons = metric_reasons(metrics)
    shown = metrics.copy().astype(object)
    for c in metrics.columns:
        if c not in BY_CODE:
            continue
        shown[c] = [missing_text(r or None, lang) if _is_missing(x) else figure_text(str(c), float(x))
                    for x, r in zip(metrics[c].tolist(), reasons[c].tolist(), strict=True)]
    return for_display(shown.drop(columns=[REPORT_ID], errors="ignore"), lang, show_codes)
