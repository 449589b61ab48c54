"""The library's per-report queries at any size (gkcore/store/listing.py): a search returns a
bounded number of options, a ranking or the quality list read page by page gives the same order
as the full sort, labels are numbered as present.compare.labels numbers them, and corrections
show in every list."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import gkcore
from gkcore.assess.indexed import index_columns
from gkcore.errors import UnknownColumn
from gkcore.library import SEARCH_MAX, Filter, Library
from gkcore.model import ParsedReport
from gkcore.model.metrics import BY_CODE, METRICS
from gkcore.present import compare
from gkcore.store.listing import quoted
from gkcore.store.query import _clusters

from .test_store import copies, parsed, put  # noqa: F401  (parsed: a fixture)


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory, parsed: list[ParsedReport]) -> Library:  # noqa: F811
    """The parsed documents, and 6 copies of each (same figures: many ties in every ranking)."""
    cache = gkcore.Cache(tmp_path_factory.mktemp("listing"))
    for base in parsed:
        put(cache, [base, *copies(base, 6)])
    return Library(cache)


def test_search_returns_a_bounded_number_of_options(lib: Library) -> None:
    n = len(lib.reports())
    assert n > 10 and lib.count() == n
    assert len(lib.search()) == min(n, SEARCH_MAX)
    few = lib.search(limit=5)
    assert list(few) == sorted(lib.reports()["report_id"])[:5]          # the first, in report id order
    assert SEARCH_MAX <= 500                                           # a picker never lists every report


def test_search_filters_by_year_region_and_agency(lib: Library) -> None:
    reps = lib.reports()
    f = Filter(years=(2021,))
    assert set(lib.search(f)) == set(reps.loc[reps["year"] == 2021, "report_id"]) and lib.count(f) > 0
    agency = str(reps["agency"].iloc[0])
    part = agency[1:4]
    want = reps[reps["agency"].str.contains(part, regex=False)]
    assert set(lib.search(Filter(agency=part))) == set(want["report_id"])
    region = str(reps["region"].iloc[0])
    assert lib.count(Filter(regions=(region,))) == (reps["region"] == region).sum()
    assert lib.search(Filter(agency="没有这样的机关")) == {} and lib.count(Filter(agency="没有这样的机关")) == 0
    assert lib.choices("year") == sorted({int(y) for y in reps["year"].dropna()})


def test_labels_are_numbered_as_compare_labels(lib: Library) -> None:
    reps = lib.reports(where=Filter(copies=True))          # every file: the copies of a body and year too
    want = compare.labels(reps)
    assert lib.names(list(want)) == want
    assert {**lib.search(Filter(copies=True))} == {i: want[i] for i in lib.search(Filter(copies=True))}
    assert any(lab.endswith(" (2)") for lab in want.values())        # the copies share their base's label


@pytest.mark.parametrize("metric", [m.code for m in METRICS])
def test_a_ranking_paged_is_the_full_sort(lib: Library, metric: str) -> None:
    full = compare.ranking(lib.metrics(), lib.reports(), metric)
    pages = [lib.ranking(metric, limit=4, offset=k) for k in range(0, len(full) + 4, 4)]
    got = pd.concat(pages, ignore_index=True)
    assert got["report_id"].tolist() == full["report_id"].tolist()
    assert got["rank"].tolist() == list(range(1, len(full) + 1))
    pd.testing.assert_series_equal(got[metric], full[metric], check_names=False)


def test_a_filtered_ranking_ranks_only_the_reports_found(lib: Library) -> None:
    f = Filter(years=(2020, 2021))
    reps = lib.reports()
    mine = reps[reps["year"].isin([2020, 2021])]
    full = compare.ranking(lib.metrics(mine["report_id"]), mine, "received")
    assert lib.ranking("received", f)["report_id"].tolist() == full["report_id"].tolist()


def test_the_quality_list_paged_is_worst_first(lib: Library, tmp_path: Path) -> None:
    every = lib.reports(where=Filter(copies=True))          # the list is of files: the copies too
    full = every.sort_values(["fail", "unsure_cells", "report_id"], ascending=[False, False, True], kind="stable")
    got = pd.concat([lib.worst(5, k) for k in range(0, len(every), 5)], ignore_index=True)
    assert got["report_id"].tolist() == full["report_id"].tolist()
    reps = lib.reports()                                     # the counts: a body's year once
    assert len(reps) < len(every)
    assert lib.status_counts() == {"reports": len(reps), "fail": int((reps["fail"] > 0).sum()),
                                   "unsure": int((reps["unsure_cells"] > 0).sum()),
                                   "not_assessable": int((reps["not_assessable"] > 0).sum())}


def test_corrections_show_in_the_lists(tmp_path: Path, parsed: list[ParsedReport]) -> None:  # noqa: F811
    cache = gkcore.Cache(tmp_path)
    ids = put(cache, copies(parsed[1], 3))                   # 洪泽区 2023: 表四 review block fails (2 checks)
    lib = Library(cache)
    assert lib.ranking("reviews")["reviews"].tolist() == [0, 0, 0]
    lib.correct(ids[1], "t4", "review", "total", "11", "原文合计漏填")
    ranked = lib.ranking("reviews")
    assert ranked["report_id"].tolist()[0] == ids[1] and ranked["reviews"].tolist() == [11, 0, 0]
    worst = lib.worst()
    assert worst["report_id"].tolist()[-1] == ids[1] and worst["fail"].tolist() == [2, 2, 1]
    assert lib.status_counts()["fail"] == 3
    row = lib.row(ids[1])
    assert row is not None and row["fail"] == 1 and row["tables_json"].startswith("[")


def test_a_few_spread_reports_read_by_group_are_their_rows(lib: Library) -> None:
    """A few reports spread over the id space are read one group of nearby ids at a time
    (store/query.py), with their years known from a listing or not: the same rows as a full read."""
    ids = sorted(lib.reports()["report_id"])
    few = [ids[0], ids[len(ids) // 2], ids[-1]]
    assert len(_clusters(few)) == 3 and _clusters(["g1", "g2"]) == [["g1", "g2"]]   # not hex: one group
    every = lib.cells()
    want = every[every["report_id"].isin(few)].reset_index(drop=True)
    cold = Library(lib.cache)                                          # no listing yet: one lookup of years
    pd.testing.assert_frame_equal(cold.cells(few), want)
    cold.reports(where=Filter(years=tuple(int(y) for y in lib.choices("year"))), limit=len(ids))  # years known
    cold.forget()
    assert set(few) <= set(cold.frames().year_of)
    pd.testing.assert_frame_equal(cold.cells(few), want)
    pd.testing.assert_frame_equal(cold.cells(few, flag="unsure"), want[want["flag"] == "unsure"].reset_index(drop=True))


@pytest.mark.parametrize("hostile", ['received DESC; DROP TABLE reports; --', 'received" , "label', "1=1) OR (1",
                                     "assess_score2", ""])
def test_a_hostile_figure_code_is_refused_before_any_sql(lib: Library, hostile: str) -> None:
    """Pages pass a figure's code, never SQL: the store checks it against the definitions (the
    metrics part's columns) and refuses anything else with a message saying what to use."""
    msg = r"未知的列名或指标代码.*gkcore/model/metrics\.py"
    region = pd.DataFrame({"region_code": ["320813"], "map_region": ["320813"]})
    for ask in (lambda: lib.ranking(hostile), lambda: lib.joined([hostile], Filter()),
                lambda: lib.joined([], Filter(), rank_by=hostile), lambda: lib.by_region(Filter(), region, [hostile])):
        with pytest.raises(UnknownColumn, match=msg) as got:
            ask()
        assert repr(hostile)[:40] in got.value.message                    # the code refused is named
    with pytest.raises(UnknownColumn, match=msg):
        lib.choices(hostile or "year; --")                               # a reports column, checked too


def test_identifiers_are_quoted_and_known_codes_run(lib: Library) -> None:
    assert quoted('a"b') == '"a""b"' and quoted("received") == '"received"'
    every = [*BY_CODE, *index_columns()]
    got = lib.joined(every, Filter(), rank_by="assess_score", limit=5)
    assert set(every) <= set(got.columns) and got["assess_score"].is_monotonic_decreasing
    assert lib.joined([], Filter(), limit=3)["report_id"].tolist() == sorted(lib.reports()["report_id"])[:3]
