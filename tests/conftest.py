from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"
BAD = HERE / "bad"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true",
                     help="rewrite tests/golden/* from the current parser (review the diff!)")


@pytest.fixture
def regen(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden"))


# Every form gkcore reads without outside help (.doc needs LibreOffice: see tests/test_readers.py).
REPORT_SUFFIXES = (".pdf", ".txt", ".md", ".html", ".docx")


def report_fixtures() -> list[Path]:
    """Every report document under tests/fixtures (real and generated), not the bad inputs."""
    return sorted(p for sub in ("real", "generated") for p in (FIXTURES / sub).glob("*")
                  if p.suffix in REPORT_SUFFIXES)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty cache folder."""
    root = tmp_path / "cache"
    monkeypatch.setenv("GK_CACHE_DIR", str(root))
    return root


@pytest.fixture(autouse=True)
def _main_module_kept() -> Iterator[None]:
    """AppTest runs a page as the module `__main__` and leaves it in sys.modules; a process
    started later with `spawn` re-runs the main module in the child (as `__mp_main__`), which
    would then run the page (ingest the samples, start parse children) while the child is still
    starting up. Each test gets back the main module it started with."""
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main
