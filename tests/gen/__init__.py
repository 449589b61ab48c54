"""Generators of ugly report layouts, with ground truth: one module per failure class of issue 10.

Interface (every module of this package that defines both names is a generator; nothing else to register):

    CLASS: str                                   # the class name, e.g. "unruled", "sparse", "pagecut"
    def make(seed: int, out: Path) -> Path       # write ONE document into the folder `out` (it exists),
                                                 # plus `<stem>.truth.json` beside it; return the document's path

- The same seed gives the same document (byte-identical where the writer allows it); different seeds give
  different layouts: draw the variety (fonts, sizes, margins, column widths, page breaks, blank styles, ...)
  from `random.Random(seed)`, never from global state.
- The document's stem should name the class and the seed (e.g. `unruled-1234.pdf`) so that one folder can
  hold documents of several classes.
- The truth file has exactly the format of tests/fixtures/generated/*.truth.json (tests/test_truth.py reads
  it): `agency`, `region`, `region_code`, `year`, `template` ("2021" | "2019"), `pages`, `cells` (every
  template cell once: `table`, `row`, `col`, `raw` as printed, `value` the number it states or null; `page`
  optional), `failing_rules` (every sum rule of the template the printed figures break: `rule`, `table`, and
  `col` or `row`), and optionally `features` (a list of strings describing the layout) and `prose_figures`.
  `write_truth` below writes it in the house style.

Use:
    from tests.gen import generators, make
    generators()                    # {"unruled": <module>, ...}
    doc = make("unruled", 7, tmp)   # Path of the document; truth_of(doc) is its truth
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from pathlib import Path
from types import ModuleType
from typing import Any

TRUTH_SUFFIX = ".truth.json"


def generators() -> dict[str, ModuleType]:
    """Every generator module of this package, by its CLASS (sorted by class name)."""
    found: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        cls, make_fn = getattr(mod, "CLASS", None), getattr(mod, "make", None)
        if isinstance(cls, str) and callable(make_fn):
            if cls in found:
                raise ValueError(f"two generators for class {cls!r}: {found[cls].__name__}, {mod.__name__}")
            found[cls] = mod
    return dict(sorted(found.items()))


def make(cls: str, seed: int, out: Path) -> Path:
    """Generate one document of class `cls` from `seed` into the folder `out`; returns its path."""
    gens = generators()
    if cls not in gens:
        raise KeyError(f"no generator for class {cls!r} (have: {', '.join(gens)})")
    out.mkdir(parents=True, exist_ok=True)
    return Path(gens[cls].make(seed, out))


def truth_path(doc: Path) -> Path:
    """The truth file of a generated document: `<stem>.truth.json` beside it."""
    return doc.with_name(doc.stem + TRUTH_SUFFIX)


def truth_of(doc: Path) -> dict[str, Any]:
    return json.loads(truth_path(doc).read_text(encoding="utf-8"))


def write_truth(doc: Path, truth: dict[str, Any]) -> Path:
    """Write `truth` beside `doc` in the house style (indented, one line per cell, rule and figure)."""
    text = json.dumps(truth, ensure_ascii=False, indent=1)
    text = re.sub(r"\{\n\s+([^{}\[\]]*?)\n\s*\}", lambda m: "{" + re.sub(r"\n\s*", " ", m.group(1)) + "}", text)
    path = truth_path(doc)
    path.write_text(text + "\n", "utf-8")
    return path
