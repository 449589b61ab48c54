"""`gkcore ingest --cluster ADDRESS`: the parses of an ingest as tasks of a Dask distributed
cluster (docs/cluster.md). ADDRESS is a running scheduler (`tcp://HOST:8786`) or `local:N`, a
LocalCluster of N worker processes on this machine.

What travels: the task is (the file's absolute path, the cache folder, the limits). The workers
read the input from storage they share with the client and write their cache entries into the
same cache folder, which on several machines is shared storage mounted at the same path. Only
file names and a few bytes of result go through the scheduler: the client's network is never
the bottleneck, and a task retried elsewhere reads its file again.

Each task is gkcore.ingest.ingest_one, the function a local ingest runs in its threads: the
same isolated parse within the same limits (gkcore/parse/isolate.py, a child process per file), the
same atomic cache entry with its manifest (gkcore/store/cache.py). A worker killed mid-run leaves at
most a temporary folder that the next writer deletes; the scheduler gives its tasks to another
worker. A lost scheduler stops the ingest with ClusterLost; whatever was written stays, and a
rerun parses only what is missing (the cache is keyed by the bytes' SHA-256)."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import ClusterLost, ClusterUnreachable
from ..parse.limits import Limits
from .ingest import Item, ingest_one

LOCAL = re.compile(r"^local:(\d+)$")
CONNECT_S = 20.0           # how long to try reaching a scheduler
IN_FLIGHT_PER_THREAD = 4   # tasks submitted ahead per worker thread (10^6 files are never all in the graph)
log = logging.getLogger(__name__)


def worker_task(path: str, root: str, limits: Limits | None, shown: str) -> list[Item]:
    """Runs on a worker: ingest one file (or archive) into the cache at root."""
    me = multiprocessing.current_process()
    if me.daemon:
        # A Dask nanny starts its worker as a daemonic process, and multiprocessing refuses to
        # let those have children. The parse's child is ours to stop (gkcore.parse.isolate._stop)
        # and caps its own CPU time, so the worker may have it.
        with contextlib.suppress(AssertionError):
            me.daemon = False
    return ingest_one(path, root, limits, shown)


@contextlib.contextmanager
def connect(address: str, connect_s: float | None = None) -> Iterator[Any]:
    """A distributed.Client on the scheduler at address, or on a LocalCluster for local:N."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ClusterUnreachable("dask[distributed] 未安装 / not installed: pip install 'gkcore[cluster]'") from exc
    with contextlib.ExitStack() as stack:
        m = LOCAL.match(address)
        try:
            if m:
                n = int(m.group(1))
                if n < 1:
                    raise ClusterUnreachable(f"{address}: N ≥ 1")
                with dask.config.set({"distributed.worker.daemon": False}):
                    cluster = stack.enter_context(LocalCluster(
                        n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR))
                client = stack.enter_context(Client(cluster))
            else:
                client = stack.enter_context(Client(address, timeout=connect_s or CONNECT_S))
        except ClusterUnreachable:
            raise
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterUnreachable(f"{address}: {type(exc).__name__}: {exc}") from None
        yield client


def threads(client: Any) -> int:
    """Worker threads the cluster has now (at least 1)."""
    try:
        return max(1, sum(client.nthreads().values()))
    except Exception:  # noqa: BLE001 — only a sizing hint
        return 1


def run(client: Any, files: list[Path], root: str, limits: Limits | None,
        done: Callable[[list[Item]], None]) -> None:
    """Send every file to the cluster and call done(items) as each task finishes. A file whose
    task the cluster gave up on (its workers died again and again) gets its one error line; a
    lost scheduler raises ClusterLost."""
    from distributed import as_completed
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    pending = iter([(str(f.resolve()), str(f)) for f in files])
    window = IN_FLIGHT_PER_THREAD * threads(client)
    shown_of: dict[str, str] = {}

    def submit() -> Any | None:
        nxt = next(pending, None)
        if nxt is None:
            return None
        fut = client.submit(worker_task, nxt[0], root, limits, nxt[1], pure=False)
        shown_of[fut.key] = nxt[1]
        return fut

    first = [f for f in (submit() for _ in range(window)) if f is not None]
    queue = as_completed(first)
    try:
        for fut in queue:
            shown = shown_of.pop(fut.key, "?")
            try:
                items = fut.result()
            except KilledWorker as exc:
                items = [(shown, f"处理该文件的工作进程多次意外退出 / the workers parsing this file died: {exc}",
                          False, "")]
            nxt = submit()
            if nxt is not None:
                queue.add(nxt)
            done(items)
    except (FutureCancelledError, OSError, TimeoutError) as exc:
        raise ClusterLost(_first_line(exc)) from None
    except Exception as exc:
        if type(exc).__module__.startswith(("distributed", "tornado")):
            raise ClusterLost(_first_line(exc)) from None
        raise


def _first_line(exc: BaseException) -> str:
    """What Dask said, short enough for the one message line."""
    text = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {text[:160]}"
