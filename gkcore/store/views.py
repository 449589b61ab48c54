"""The per-report lists the pages show, as queries on the index (`store/listing.py`): counts,
the filters' choices, a search for the pickers, display names, pages of a ranking or of the
quality list, agencies, per-region figures. `Views(source)` holds them; the source
(`gkcore.library.Library`) runs and keeps the queries (`_memo`), numbers the labels of reports
that share one (`_numbered`), finds the duplicates (`_dupes`) and lists reports (`reports`)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Protocol

import pandas as pd

from ..model import REPORT_ID
from .dupes import GROUP, PICK, Dupes
from .listing import SEARCH_MAX, Filter, Listing


class Source(Protocol):
    """What the views query: the library's kept queries, numbered labels, duplicates and reports."""

    def _memo(self, key: tuple[Hashable, ...], run: Callable[[Listing], pd.DataFrame]) -> pd.DataFrame: ...

    def _numbered(self) -> dict[str, str]: ...

    def _dupes(self) -> Dupes: ...

    def reports(self, ids: Sequence[str] | None = None, where: Filter | None = None, limit: int | None = None,
                offset: int = 0) -> pd.DataFrame: ...


class Views:
    def __init__(self, source: Source) -> None:
        self._source = source

    def count(self, where: Filter | None = None) -> int:
        """How many reports match."""
        w = where or Filter()
        return int(self._source._memo(("count", w), lambda q: pd.DataFrame({"n": [q.count(w)]}))["n"].iloc[0])

    def status_counts(self, where: Filter | None = None) -> dict[str, int]:
        """Reports in all (a duplicate counted once), with a failed check (fail), with a cell the
        parser was unsure of (unsure), with a check not assessable (not_assessable)."""
        w = where or Filter()
        df = self._source._memo(("status", w), lambda q: pd.DataFrame([q.status_counts(w)]))
        return {str(k): int(v) for k, v in df.iloc[0].items()}

    def choices(self, column: str, where: Filter | None = None) -> list[object]:
        """The distinct years or regions of the library (of the reports matching where), sorted."""
        w = where or Filter()
        got = self._source._memo(("distinct", column, w), lambda q: pd.DataFrame({"v": q.distinct(column, w)}))
        return got["v"].tolist()

    def known_sources(self, names: Sequence[str]) -> set[str]:
        """Which of these source file names the library holds."""
        got = self._source.reports(where=Filter(sources=tuple(names)))
        return set(got["source_name"].tolist())

    def codes(self, where: Filter) -> pd.DataFrame:
        """The region codes of the reports matching where ("" for none), with their numbers (n)."""
        return self._source._memo(("codes", where), lambda q: q.codes(where))

    def by_region(self, where: Filter, region: pd.DataFrame, figures: Sequence[str]) -> pd.DataFrame:
        """Per drawn region (region: region_code -> map_region): n reports, and each figure (a
        code) added up as its kind says: counts summed, rates the median report's, scores the
        mean (with n_<code>, the reports averaged)."""
        key = ("by_region", where, tuple(map(tuple, region.astype(str).to_numpy())), tuple(figures))
        return self._source._memo(key, lambda q: q.by_region(where, region, figures))

    def duplicates(self, ids: Sequence[str] | None = None, keep: Sequence[str] = ()) -> pd.DataFrame:
        """The duplicate groups (of these reports when given): report_id, copy_of (the group),
        label (numbered), source_name, unsure_cells, passed, fail, and counted (the copy every
        figure takes: the better-read one, or the one in keep); the better-read first."""
        d = self._source._dupes()
        g = d.groups if ids is None else d.of(list(ids))
        counted = set(d.kept(keep).values())
        numbered = self._source._numbered()
        return g.assign(label=[numbered.get(i, lab) for i, lab in zip(g[REPORT_ID], g["label"], strict=True)],
                        counted=g[REPORT_ID].isin(counted)).drop(columns=[PICK])[
            [REPORT_ID, GROUP, "label", "source_name", "unsure_cells", "passed", "fail", "counted"]]

    def about(self, ids: Sequence[str]) -> pd.DataFrame:
        """report_id, label (as in the index), agency, region and year of these reports, in
        report id order: one lookup serves the names, the year partitions and a page's labels."""
        want = list(ids)
        return self._source._memo(("about", tuple(want)), lambda q: q.reports(
            ids=want, columns=[REPORT_ID, "label", "agency", "region", "year"]))

    def names(self, ids: Sequence[str]) -> dict[str, str]:
        """report_id -> its unique display name ("agency · year", numbered when reports share it),
        for these ids (in their order; unknown ids left out)."""
        ids = list(dict.fromkeys(ids))
        got = self.about(ids)
        lab = dict(zip(got[REPORT_ID].tolist(), got["label"].tolist(), strict=True))
        numbered = self._source._numbered()
        return {i: numbered.get(i, str(lab[i])) for i in ids if i in lab}

    def search(self, where: Filter | None = None, limit: int = SEARCH_MAX) -> dict[str, str]:
        """The first `limit` reports matching where (report id order): report_id -> display name,
        for a picker."""
        w = where or Filter()
        got = self._source._memo(("search", w, limit),
                                 lambda q: q.reports(w, columns=[REPORT_ID, "label"], limit=limit))
        numbered = self._source._numbered()
        return {i: numbered.get(i, lab) for i, lab in zip(got[REPORT_ID].tolist(), got["label"].tolist(), strict=True)}

    def ranking(self, metric: str, where: Filter | None = None, limit: int | None = None,
                offset: int = 0) -> pd.DataFrame:
        """One page of the reports ranked by one metric (highest first, missing last, ties by
        report id): rank, report_id, label, agency, region, year and the metric."""
        w = where or Filter()
        top = self._source._memo(("ranking", metric, w, limit, offset), lambda q: q.ranking(metric, w, limit, offset))
        ids = top[REPORT_ID].tolist()
        reps = self.about(ids).set_index(REPORT_ID).reindex(ids)
        out = top.assign(label=[self.names(ids).get(i, "") for i in ids], agency=reps["agency"].to_numpy(),
                         region=reps["region"].to_numpy(), year=reps["year"].to_numpy())
        out.insert(0, "rank", range(offset + 1, offset + 1 + len(out)))
        return out[["rank", REPORT_ID, "label", "agency", "region", "year", metric]]

    def worst(self, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
        """One page of the quality list: reports by failed checks, then unsure cells (most first),
        ties by report id: report_id, label (numbered), fail, not_assessable, unsure."""
        got = self._source._memo(("worst", limit, offset), lambda q: q.worst(limit, offset)).drop(columns=["year"])
        numbered = self._source._numbered()
        return got.assign(label=[numbered.get(i, lab) for i, lab in zip(got[REPORT_ID], got["label"], strict=True)])

    def agencies(self, text: str = "", limit: int | None = SEARCH_MAX) -> pd.DataFrame:
        """Agencies (agency_key) whose name contains text: agency_key, agency, region, years
        (the longest series first)."""
        return self._source._memo(("agencies", text, limit), lambda q: q.agencies(text, limit))

    def joined(self, figures: Sequence[str], where: Filter, rank_by: str | None = None,
               limit: int | None = None) -> pd.DataFrame:
        """Reports matching where with these figures (report_id, label, region, region_code, year,
        fail, unsure, ...), ranked by the figure rank_by (a code; highest first) or in report id
        order, at most limit."""
        return self._source._memo(("joined", tuple(figures), where, rank_by, limit),
                          lambda q: q.joined(figures, where, rank_by, limit))
