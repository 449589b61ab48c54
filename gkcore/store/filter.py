"""Which reports a page asks about: a Filter (frozen, so a query's result can be kept under it)
becomes the WHERE clause of a query on the index's reports part (`store/listing.py`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Filter:
    """Which reports: years (any of), regions (any of), a text the agency's name contains, one
    agency (its agency_key), region codes starting with a prefix (a province's or city's).
    A body's report of a year read from several files counts once (the better-read copy, or the
    one in keep) unless copies is set; a rate ranks, and enters a median, only for reports with
    at least `minimum` requests (cases, for the review and lawsuit rates) behind it."""
    years: tuple[int, ...] = ()
    regions: tuple[str, ...] = ()
    agency: str = ""
    agency_key: str = ""
    region_prefix: str = ""
    codes: tuple[str, ...] = ()       # region codes (any of; "" for reports without one)
    sources: tuple[str, ...] = ()     # source file names (any of)
    copies: bool = False              # every file of a duplicate group, not one per body and year
    keep: tuple[str, ...] = ()        # the copies the user chose to count (report ids)
    minimum: int = 0                  # requests behind a rate for it to rank

    def where(self) -> tuple[str, list[object]]:
        conds: list[str] = []
        params: list[object] = []
        if self.years:
            conds.append(f"year IN ({', '.join('?' * len(self.years))})")
            params += [int(y) for y in self.years]
        if self.regions:
            conds.append(f"region IN ({', '.join('?' * len(self.regions))})")
            params += list(self.regions)
        if self.agency:
            conds.append("contains(agency, ?)")
            params.append(self.agency)
        if self.agency_key:
            conds.append("agency_key = ?")
            params.append(self.agency_key)
        if self.region_prefix:
            conds.append("starts_with(region_code, ?)")
            params.append(self.region_prefix)
        if self.codes:
            conds.append("coalesce(region_code, '') IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(self.codes))
        if self.sources:
            conds.append("source_name IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(self.sources))
        return (" WHERE " + " AND ".join(conds)) if conds else "", params

    def year_keys(self) -> set[str] | None:
        """The year partitions to read (None: all)."""
        return {str(int(y)) for y in self.years} if self.years else None
