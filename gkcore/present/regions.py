"""Reports by region for the map: which level fits the reports (the provinces, the cities of a
province, or the counties and districts of a city), which drawn region each report lies in,
the figures of each region, and a league table of one year's reports under a parent region.

A region's figure adds up its reports' as the figure's kind says (gkcore.model.metrics): counts
are summed, rates are the median of its reports' rates (reports of different sizes are not pooled
into one rate), the assessment score is the mean of its reports' scores (with the number of
reports that have one: a report no criterion could be told of has none), and `reports` counts them.
A report whose code names a region above the level drawn (淮安市人民政府 on a map of 淮安市's
districts) or no region the boundary package knows is never dropped: it is listed apart."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..model import REPORT_ID, Status
from ..model.metrics import ASSESS_SCORE, BY_CODE, COUNT, RATE, SCORE, counted
from .charts import esc
from .geo import CITY, COUNTRY, COUNTY, PROVINCE, Atlas
from .labels import column_label, metric_text

REGION = "map_region"         # the drawn region a report lies in
FIGURES = ("received", "disclosure_rate", "no_info_rate", "review_correction_rate", "suit_correction_rate",
           ASSESS_SCORE, "reports")
REPORTS = "reports"
ABOVE, NO_BOUNDARY = "above", "no_boundary"


@dataclass(frozen=True)
class MapLevel:
    parent: str          # the region whose children are drawn (COUNTRY for the provinces)
    level: str           # the level of the children: province, city or county


def region_path(atlas: Atlas, code: str) -> tuple[str | None, str | None, str | None]:
    """(province, city, county) codes a report's region code lies in; None where unknown or
    where the code names a higher level (a city's own report has no county)."""
    if not isinstance(code, str) or len(code) != 6 or not code.isdigit():
        return None, None, None
    province = atlas.province_of(code)
    if province is None:
        return None, None, None
    if code == province:
        return province, None, None
    city = atlas.city_of(code)
    county = code if city is not None and code != city and atlas.get(COUNTY, code) else None
    return province, city, county


def choose_level(atlas: Atlas, codes: list[str]) -> MapLevel:
    """The deepest map on which all these reports lie under one parent: the counties of one city,
    the cities of one province, else the provinces."""
    paths = [region_path(atlas, c) for c in codes]
    known = [p for p in paths if p[0] is not None]
    provinces = {p[0] for p in known}
    if len(provinces) != 1:
        return MapLevel(COUNTRY, PROVINCE)
    province = provinces.pop()
    assert province is not None
    cities = {p[1] for p in known}
    kids = atlas.children(province)
    if len(cities) == 1 and None not in cities:
        city = cities.pop()
        assert city is not None
        if atlas.children(city):
            return MapLevel(city, COUNTY)
    if kids and kids[0].level == COUNTY:          # a municipality: its districts
        return MapLevel(province, COUNTY)
    return MapLevel(province, CITY)


def assign(atlas: Atlas, reports: pd.DataFrame, where: MapLevel) -> pd.Series:
    """For each report (index of `reports`): the code of the drawn region it lies in, ABOVE when
    its own region is the parent or higher, NO_BOUNDARY when no drawn region holds it."""
    drawn = {r.code for r in atlas.children(where.parent)}
    out = []
    for code in reports["region_code"].tolist():
        province, city, county = region_path(atlas, code)
        pick = {PROVINCE: province, CITY: city, COUNTY: county}[where.level]
        if where.level == COUNTY and county is None and city in drawn:
            pick = city                           # a county-level city (仙桃市) is its own district
        if pick in drawn:
            out.append(pick)
        elif province is not None and code in {where.parent, province, city}:
            out.append(ABOVE)
        else:
            out.append(NO_BOUNDARY)
    return pd.Series(out, index=reports.index, name=REGION, dtype=object)


def figures_of(figures: tuple[str, ...] = FIGURES) -> list[str]:
    """The metric codes among figures (what a query adds up; `reports` is its row count)."""
    return [f for f in figures if f != REPORTS]


def region_columns(figures: tuple[str, ...] = FIGURES) -> list[str]:
    """A region table's columns: each figure, and after a score the number of reports it averages."""
    return [c for f in figures for c in ([f, counted(f)] if f in BY_CODE and BY_CODE[f].kind == SCORE else [f])]


def region_figures(reports: pd.DataFrame, metrics: pd.DataFrame, region: pd.Series) -> pd.DataFrame:
    """One row per drawn region (index: its code) with each figure of FIGURES: counts summed,
    rates the median over the region's reports, scores the mean (and n_<code>, the reports
    with a score), `reports` their number. (The pages ask the store: Library.by_region.)"""
    m = reports[[REPORT_ID]].assign(**{REGION: region}).merge(metrics, on=REPORT_ID, how="left")
    m = m[~m[REGION].isin([ABOVE, NO_BOUNDARY])]
    g = m.groupby(REGION)
    out = pd.DataFrame(index=pd.Index(sorted(m[REGION].unique()), name=REGION))
    for code in FIGURES:
        kind = REPORTS if code == REPORTS else BY_CODE[code].kind
        if kind == REPORTS:
            out[code] = g.size()
        elif kind == RATE:
            out[code] = g[code].median()
        elif kind == COUNT:
            out[code] = g[code].sum(min_count=1)
        else:
            out[code], out[counted(code)] = g[code].mean(), g[code].count()
    return out[region_columns()]


def region_table(by_region: pd.DataFrame) -> pd.DataFrame:
    """region_figures' result from a query's rows (map_region, n, and each figure): one row per
    drawn region (index: its code), the figures of FIGURES."""
    out = by_region.rename(columns={"n": REPORTS}).set_index(REGION)
    return out[region_columns()]


def codes_to(region: pd.Series, codes: pd.DataFrame, kind: str) -> tuple[str, ...]:
    """The region codes (of `codes`, the rows `region` was assigned over) that lie in `kind` (a
    drawn region's code, ABOVE or NO_BOUNDARY)."""
    return tuple(codes.loc[region == kind, "region_code"].astype(str))


def league_rows(rows: pd.DataFrame, figure: str) -> pd.DataFrame:
    """league's table from a query's rows, already ranked (report_id, label, region, year, the
    check counts, and the figure): rank, report, region, year, check status, figure."""
    t = rows[[REPORT_ID, "label", "region", "year"]].assign(status=check_status(rows).tolist())
    if figure != REPORTS:
        t[figure] = rows[figure].to_numpy()
    t = t.reset_index(drop=True)
    t.insert(0, "rank", range(1, len(t) + 1))
    return t


def check_status(reports: pd.DataFrame) -> pd.Series:
    """A report's checks in one word (values of labels.toml's [values.status]): fail when any
    check fails; else unsure when the parser was unsure of a cell (or of a check's cell); else
    not_assessable when no check could be made; else pass_partial when some could not; else
    pass. Never "pass" for what was not checked."""
    cols = {c: (reports[c].fillna(0).astype(int).tolist() if c in reports else [0] * len(reports))
            for c in (Status.FAIL, Status.UNSURE, "unsure_cells", "passed", Status.NOT_ASSESSABLE)}
    out = []
    for f, u, uc, p, na in zip(*cols.values(), strict=True):
        out.append(Status.FAIL if f > 0 else Status.UNSURE if u > 0 or uc > 0 else Status.NOT_ASSESSABLE if p == 0
                   else "pass_partial" if na > 0 else Status.PASS)
    return pd.Series(out, index=reports.index, dtype=object)


def prefix(parent: str) -> str:
    """The start every region code under `parent` (a province or a city) shares."""
    return parent[:2] if parent.endswith("0000") else parent[:4] if parent.endswith("00") else parent


def under(reports: pd.DataFrame, parent: str) -> pd.DataFrame:
    """The reports whose region lies in `parent` (a province or a city), its own included."""
    return reports[reports["region_code"].astype(str).str.startswith(prefix(parent))]


def league(reports: pd.DataFrame, metrics: pd.DataFrame, parent: str, year: int, figure: str) -> pd.DataFrame:
    """Every report of one year under a parent region (its own report included), ranked by one
    figure (highest first, missing last), with its check status."""
    mine = under(reports, parent)
    mine = mine[mine["year"] == year]
    t = mine[[REPORT_ID, "label", "region", "region_code"]].assign(status=check_status(mine).tolist())
    if figure != REPORTS:
        t = t.merge(metrics[[REPORT_ID, figure]], on=REPORT_ID, how="left")
        t = t.sort_values(figure, ascending=False, na_position="last", kind="stable")
    t = t.reset_index(drop=True)
    t.insert(0, "rank", range(1, len(t) + 1))
    return t


def level_of(atlas: Atlas, province: str = "", city: str = "") -> MapLevel:
    """The map drilled down to: the provinces (nothing chosen), a province's cities (a
    municipality's districts), or a city's counties and districts."""
    if city and atlas.children(city):
        return MapLevel(city, COUNTY)
    if province:
        kids = atlas.children(province)
        return MapLevel(province, COUNTY if kids and kids[0].level == COUNTY else CITY)
    return MapLevel(COUNTRY, PROVINCE)


@dataclass(frozen=True)
class Drill:
    """Where a click on a drawn region leads: the province and city to show (parent set), or
    no deeper map (a county, or a city without districts: its reports are listed)."""
    province: str = ""
    city: str = ""

    @property
    def parent(self) -> str:
        return self.city or self.province


def drill_to(atlas: Atlas, code: str) -> Drill:
    """The drill-down after a click on region `code`: a province shows its cities (a
    municipality its districts), a city with districts shows them; anything else goes no deeper."""
    if atlas.get(PROVINCE, code):
        return Drill(code)
    if atlas.get(CITY, code) and atlas.children(code):
        return Drill(atlas.province_of(code) or "", code)
    return Drill()


def drill_choices(atlas: Atlas, codes: list[str], province: str = "") -> list[str]:
    """What the drill-down offers: the provinces holding these reports, or (given a province)
    the cities of that province holding them; in code order."""
    paths = [region_path(atlas, c) for c in codes]
    if not province:
        return sorted({p for p, _, _ in paths if p})
    return sorted({c for p, c, _ in paths if p == province and c and c != province})


def parents(atlas: Atlas, codes: list[str]) -> list[str]:
    """The provinces and cities that hold these reports, for choosing a league table's parent."""
    out: set[str] = set()
    for c in codes:
        province, city, _ = region_path(atlas, c)
        out.update(x for x in (province, city) if x)
    return sorted(out)


def figure_text(row: pd.Series, code: str, lang: str = "zh") -> str:
    """A region's figure as shown: a count, a rate marked as the median of its reports, a score
    marked as the mean of its reports' with their number ("81.3（平均分，12 份报告）")."""
    if code == REPORTS:
        return f"{int(row[code]):,}"
    text = metric_text(row, code, lang)
    if text.startswith("—"):
        return text
    if BY_CODE[code].kind == RATE:
        text += "（中位数）" if lang == "zh" else " (median)"
    elif BY_CODE[code].kind == SCORE:
        n = int(row[counted(code)])
        text += f"（平均分，{n:,} 份报告）" if lang == "zh" else f" (mean of {n:,} report{'s' if n != 1 else ''})"
    return text


def hover_texts(by_region: pd.DataFrame, names: dict[str, str], lang: str = "zh") -> dict[str, str]:
    """What hovering a region shows: its name and every figure of FIGURES (Plotly markup escaped)."""
    sep = "：" if lang == "zh" else ": "
    return {str(code): "<br>".join([esc(names.get(str(code), str(code))), *(
        f"{esc(column_label(f, lang))}{sep}{esc(figure_text(row, f, lang))}" for f in FIGURES)])
        for code, row in by_region.iterrows() if str(code) in names}
