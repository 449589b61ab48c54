from __future__ import annotations

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
