"""What keeps `gkcore parse` quick to start (issue 12; measured by bench/parse_speed.py, never
timed here): the command, with and without the cache, writes its CSV and the cache entry
without importing pandas in its own process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
PDF = FIXTURES / "real" / "jiangsu-huaian-hongze_2024_qu-zhengfu.pdf"
RUN = ("import atexit, runpy, sys\n"
       "atexit.register(lambda: print('pandas imported:', 'pandas' in sys.modules, file=sys.stderr))\n"
       "sys.argv = ['gkcore', *sys.argv[1:]]\n"
       "runpy.run_module('gkcore', run_name='__main__')\n")


@pytest.mark.parametrize("options", [["--no-cache"], []], ids=["no-cache", "new-cache"])
def test_parse_command_does_without_pandas(options: list[str], tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", RUN, "parse", *options, str(PDF)], cwd=ROOT, capture_output=True,
                          text=True, env={"GK_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("report_id,agency,") and proc.stdout.count("\n") > 100
    assert "pandas imported: False" in proc.stderr
    entries = [p for p in tmp_path.glob("v*/*") if p.is_dir()]
    assert len(entries) == (0 if options else 1)
    if not options:
        assert sorted(p.name for p in entries[0].iterdir()) == [
            "cells.parquet", "checks.parquet", "figures.parquet", "manifest.json", "outline.parquet", "report.parquet",
            "source.bin"]
