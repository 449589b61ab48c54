"""`gkcore ingest --cluster`: a Dask scheduler and two worker processes on the loopback interface.

- the same files ingested on the cluster and locally give identical cache entries (every file of
  every entry, byte for byte) and an identical `gkcore export`; a bad file gets its one line;
- a worker killed mid-run loses nothing: its tasks run on the other worker, every entry is
  complete, and a rerun finds everything cached;
- a scheduler killed mid-run gives the ClusterLost message (exit 3), and a rerun on a new
  scheduler completes the rest; an address where no scheduler answers gives ClusterUnreachable."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from gkcore.errors import ClusterUnreachable  # noqa: E402
from gkcore.store import cluster  # noqa: E402
from gkcore.store.cache import Cache  # noqa: E402
from gkcore.store.index import index_folder  # noqa: E402
from gkcore.store.ingest import Item, collect  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "fixtures" / "real"
DASK = Path(sys.executable).parent / "dask"
START_S = 120


@dataclass
class Cluster:
    address: str
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]]

    def stop(self) -> None:
        for p in [*self.workers, self.scheduler]:
            if p.poll() is None:
                p.kill()
            p.wait()


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}


def start_cluster(tmp: Path, workers: int = 2) -> Cluster:
    """`dask scheduler` and `dask worker` processes (one thread each, no nanny, so that a killed
    worker stays dead), listening on 127.0.0.1 only."""
    info = tmp / f"scheduler-{time.monotonic_ns()}.json"
    log = open(tmp / "dask.log", "ab")  # noqa: SIM115 — kept open for the processes' lifetime
    sched = subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                              "--scheduler-file", str(info)], env=_env(), stdout=log, stderr=log)
    deadline = time.monotonic() + START_S
    address = ""
    while not address:              # the scheduler writes its file in more than one step
        assert time.monotonic() < deadline and sched.poll() is None, "the scheduler did not start"
        time.sleep(0.1)
        with contextlib.suppress(OSError, ValueError, KeyError):
            address = json.loads(info.read_text())["address"]
    procs = [subprocess.Popen([str(DASK), "worker", address, "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1",
                               "--no-dashboard"], cwd=ROOT, env=_env(), stdout=log, stderr=log)
             for _ in range(workers)]
    c = Cluster(address, sched, procs)
    from distributed import Client

    with Client(address, timeout=START_S) as client:
        client.wait_for_workers(workers, timeout=START_S)
    return c


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[Cluster]:
    c = start_cluster(tmp_path)
    yield c
    c.stop()


def documents(folder: Path, copies: int = 1) -> Path:
    """The real fixtures (each in `copies` byte-distinct copies) and one file that is no report."""
    folder.mkdir()
    for p in sorted(REAL.iterdir()):
        for k in range(copies):
            tail = f"\n%copy {k}\n".encode() if p.suffix == ".pdf" else b"\n" * k
            (folder / f"{p.stem}-{k}{p.suffix}").write_bytes(p.read_bytes() + tail)
    (folder / "notes.txt").write_text("这不是年度报告。\n", encoding="utf-8")
    return folder


def gkcore(cache: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gkcore", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "GK_CACHE_DIR": str(cache)}, timeout=timeout)


def entry_files(cache: Path) -> dict[str, bytes]:
    d = Cache(cache).dir
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*"))
            if p.is_file() and not p.relative_to(d).parts[0].startswith(".")}


def test_cluster_ingest_equals_local_ingest(two_workers: Cluster, tmp_path: Path) -> None:
    docs = documents(tmp_path / "docs")
    local = gkcore(tmp_path / "local", "ingest", str(docs), "--quiet")
    remote = gkcore(tmp_path / "remote", "ingest", "--cluster", two_workers.address, str(docs), "--quiet")
    assert local.returncode == remote.returncode == 1          # the one bad file
    bad = [ln for ln in remote.stderr.splitlines() if ln.startswith(str(docs / "notes.txt"))]
    assert len(bad) == 1 and "不是政府信息公开工作年度报告" in bad[0]
    assert bad == [ln for ln in local.stderr.splitlines() if ln.startswith(str(docs / "notes.txt"))]
    assert f"from {len(list(REAL.iterdir()))} of" in remote.stderr

    a, b = entry_files(tmp_path / "local"), entry_files(tmp_path / "remote")
    assert len(Cache(tmp_path / "remote").entries()) == len(list(REAL.iterdir()))
    assert a.keys() == b.keys() and a == b                     # every entry, byte for byte
    assert (tmp_path / "remote" / index_folder() / "manifest.json").exists()    # refreshed
    for args in (("export",), ("export", "--wide")):
        x, y = gkcore(tmp_path / "local", *args), gkcore(tmp_path / "remote", *args)
        assert x.returncode == y.returncode == 0
        assert x.stdout == y.stdout and x.stdout.count("\n") > len(list(REAL.iterdir()))


def test_a_killed_worker_loses_nothing(two_workers: Cluster, tmp_path: Path) -> None:
    docs = documents(tmp_path / "docs", copies=3)
    files = collect([str(docs)])
    root = tmp_path / "cache"
    got: list[Item] = []
    victim = two_workers.workers[0]

    def done(items: list[Item]) -> None:
        got.extend(items)
        if len(got) == 4:
            victim.send_signal(signal.SIGKILL)      # it is busy with its next file by now

    with cluster.connect(two_workers.address) as client:
        cluster.run(client, files, str(root), None, done)
    assert victim.wait(10) == -signal.SIGKILL
    assert sorted(name for name, *_ in got) == sorted(map(str, files))     # every file answered once
    assert [n for n, err, *_ in got if err] == [str(docs / "notes.txt")]
    cache = Cache(root)
    assert len(cache.entries()) == len(files) - 1
    check = cache.verify()
    assert not check.damaged                                   # no partial entry, every hash right
    rerun = gkcore(root, "ingest", "--cluster", two_workers.address, str(docs), "--quiet")
    assert f"({len(files) - 1} already cached" in rerun.stderr, rerun.stderr


def test_a_lost_scheduler_is_a_message_and_a_rerun_resumes(tmp_path: Path) -> None:
    docs = documents(tmp_path / "docs", copies=3)
    root = tmp_path / "cache"
    first = start_cluster(tmp_path)
    try:
        proc = subprocess.Popen([sys.executable, "-m", "gkcore", "ingest", "--cluster", first.address, str(docs),
                                 "--quiet"], cwd=ROOT, env={**os.environ, "GK_CACHE_DIR": str(root)},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + START_S
        while len(Cache(root).entries()) < 3:
            assert time.monotonic() < deadline and proc.poll() is None, "no entries written"
            time.sleep(0.05)
        first.scheduler.kill()
        _, err = proc.communicate(timeout=120)
    finally:
        first.stop()
    assert proc.returncode == 3, err
    assert "与集群调度器的连接中断" in err and "run the same command again" in err
    assert "Traceback" not in err
    done = len(Cache(root).entries())
    assert 3 <= done < len(collect([str(docs)])) - 1
    second = start_cluster(tmp_path, workers=1)
    try:
        rerun = gkcore(root, "ingest", "--cluster", second.address, str(docs), "--quiet")
    finally:
        second.stop()
    assert rerun.returncode == 1, rerun.stderr                 # the bad file only
    assert len(Cache(root).entries()) == len(collect([str(docs)])) - 1
    assert f"({done} already cached" in rerun.stderr
    assert not Cache(root).verify().damaged


def test_no_scheduler_there() -> None:
    with pytest.raises(ClusterUnreachable, match="无法连接集群调度器.*Cannot reach the cluster's scheduler"), \
            cluster.connect("tcp://127.0.0.1:9", connect_s=2):
        pass
    with pytest.raises(ClusterUnreachable, match="local:0"), cluster.connect("local:0"):
        pass


def test_cli_says_so_when_no_scheduler_answers(tmp_path: Path) -> None:
    shutil.copy(REAL / "fujian-pingtan_2024_guanweihui.txt", tmp_path / "a.txt")
    proc = subprocess.run([sys.executable, "-c", "import sys; from gkcore.store import cluster; "
                           "cluster.CONNECT_S = 2; from gkcore.cli import main; "
                           "sys.exit(main(['ingest', '--quiet', '--cluster', 'tcp://127.0.0.1:9', sys.argv[1]]))",
                           str(tmp_path / "a.txt")], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "GK_CACHE_DIR": str(tmp_path / "cache")})
    assert proc.returncode == 3
    assert "tcp://127.0.0.1:9: 无法连接集群调度器" in proc.stderr and "Traceback" not in proc.stderr
