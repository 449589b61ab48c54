"""One parse in a child process, within the time and memory limits (gkcore/parse/limits.py).

A hostile file must not hang the app or take its memory: the parse runs in a child forked from a
"forkserver" that has gkcore.parse.pipeline already imported (so a child starts in milliseconds, and
never inherits the threads of the Streamlit server, which make a plain fork unsafe). The child
caps its own address space (RLIMIT_AS) and CPU time (RLIMIT_CPU, a backstop should the parent
die) and sends back the report, a typed error, or OCR progress through a pipe; the parent waits
until the deadline and then kills the child's whole process group (a LibreOffice converting a
.doc included). The child's temporary folder is a fresh one the parent removes afterwards, so
nothing a library leaves there outlives the parse (onnxruntime writes a telemetry file `.ses`).

The children never import the caller's main module (see `_without_main`): under Streamlit that
module is the page being run.

What the caller gets: the ParsedReport; the GkError the child raised, with its message; or
TimeLimitExceeded, TooComplex (out of memory, or killed by a signal: a crash of PDFium), or
InternalError (any other exception, logged with the child's traceback)."""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import os
import resource
import shutil
import signal
import tempfile
import time
import traceback
from functools import lru_cache
from multiprocessing import forkserver, spawn
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any

from ..errors import FileTooLarge, GkError, InternalError, TimeLimitExceeded, TooComplex, safe_name
from ..model import ParsedReport
from .limits import Limits

if TYPE_CHECKING:
    from .readers.pdf import Progress

log = logging.getLogger(__name__)
_POLL = 0.5          # seconds between looks at a silent child


def _forget_parents_forkserver() -> None:
    """After a plain fork (a ProcessPoolExecutor's worker), the forkserver belongs to the parent
    and cannot be used (multiprocessing would wait on a process that is not the child's): start
    afresh, with the same modules preloaded."""
    server: Any = forkserver._forkserver    # private, but there is no public reset
    preload = server._preload_modules
    if server._forkserver_alive_fd is not None:
        with contextlib.suppress(OSError):
            os.close(server._forkserver_alive_fd)
    server.__init__()
    server._preload_modules = preload


os.register_at_fork(after_in_child=_forget_parents_forkserver)

_CHILD_NAME = "gkcore-parse"
_preparation_data = spawn.get_preparation_data


def _without_main(name: str) -> dict[str, Any]:
    """multiprocessing makes every child re-run the parent's main script (as `__mp_main__`), so
    that functions defined there can be unpickled. Our child needs none of it (its target lives in
    this module), and under Streamlit the "main script" is the page being run: a parse child would
    run the page again. So for our children, and only for them, the main module is left alone."""
    data: dict[str, Any] = _preparation_data(name)
    if name == _CHILD_NAME:
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
    return data


spawn.get_preparation_data = _without_main   # installed once, for the whole process


#: what the forkserver imports before it forks a child per parse: the parser and its data
#: (the pipeline opens readers through the registry, by name: the PDF and text readers are named here)
PRELOAD = ["gkcore.parse.pipeline", "gkcore.parse.readers.pdf", "gkcore.parse.readers.text", "gkcore.parse._warm"]
#: and the readers of web pages and Word files, for processes that parse many files of every kind
PRELOAD_ALL = [*PRELOAD, "gkcore.parse.readers.html", "gkcore.parse.readers.docx"]
_preload = PRELOAD_ALL


@lru_cache(maxsize=1)
def _context() -> ForkServerContext:
    ctx = multiprocessing.get_context("forkserver")
    assert isinstance(ctx, ForkServerContext)
    ctx.set_forkserver_preload(_preload)
    return ctx


def start(quick: bool = False) -> None:
    """Start the forkserver now, so that its imports run on another core while the caller does
    other work (`gkcore parse` imports pyarrow for the cache entry meanwhile). quick: preload
    only the parser, not the web-page and Word readers (a child that needs them imports them
    itself, 0.3 s): the shortest start for a command that parses a few files. Only the first
    call of a process counts.

    (A plain fork of a single-threaded caller instead of a forkserver was measured too: it
    saves one interpreter, but the parser's imports then come before the parse instead of beside
    the caller's own, 2.07x against 1.55x the pdfplumber script; bench/parse_speed.py.)"""
    global _preload
    if quick and _context.cache_info().currsize == 0:
        _preload = PRELOAD
    _context()
    forkserver.ensure_running()


def _child(conn: Connection, data: bytes, name: str, limits: Limits, with_progress: bool,
           env: dict[str, str]) -> None:
    """Runs in the child: set the limits, parse, send one result."""
    os.setpgid(0, 0)                       # its own process group, so that a kill takes its children too
    os.environ.clear()                     # the caller's environment, not the forkserver's (TMPDIR, GK_*)
    os.environ.update(env)
    tempfile.tempdir = None
    memory = limits.memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(limits.seconds) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))

    def progress(done: int, total: int) -> None:
        conn.send(("progress", done, total))

    try:
        from .pipeline import parse_bytes  # preloaded by the forkserver: already imported
        from .readers import ocr  # (imported by the PDF reader, preloaded too)

        ocr.keep_buffers()                 # one parse, then this process exits: it forks no Python child after
        report = parse_bytes(data, name, progress if with_progress else None, limits)
        msg: tuple[Any, ...] = ("ok", report)
    except MemoryError:
        msg = ("memory",)
    except GkError as exc:
        msg = ("error", type(exc).__module__, type(exc).__qualname__, exc.detail, exc.zh, exc.en)
    except BaseException as exc:  # noqa: BLE001 — reported to the parent as an internal error
        msg = ("crash", f"{type(exc).__name__}: {exc}", traceback.format_exc())
    try:
        conn.send(msg)
    except MemoryError:
        conn.send(("memory",))
    conn.close()


def _rebuild(module: str, qualname: str, detail: str, zh: str, en: str) -> GkError:
    """The child's GkError, the same class with the same message (its own __init__ is skipped:
    some take figures, the message is already made)."""
    cls: Any = None
    if module.startswith("gkcore."):
        cls = importlib.import_module(module)
        for part in qualname.split("."):
            cls = getattr(cls, part, None)
    if not (isinstance(cls, type) and issubclass(cls, GkError)):
        return InternalError(f"{module}.{qualname}: {detail}")
    exc: GkError = cls.__new__(cls)
    GkError.__init__(exc, detail, zh, en)
    return exc


def _death(proc: BaseProcess, limits: Limits) -> GkError:
    code = proc.exitcode
    if code is not None and code < 0:
        try:
            sig = signal.Signals(-code).name
        except ValueError:
            sig = str(-code)
        return TooComplex(f"解析进程被信号 {sig} 终止 / the parser was killed by {sig}", limits.memory_mb)
    return TooComplex(f"解析进程异常退出（状态 {code}）/ the parser exited with status {code}", limits.memory_mb)


def _stop(proc: BaseProcess) -> None:
    """Kill the child and everything it started, and reap it."""
    if proc.pid is None:                   # never started: the error that stopped it is the one to see
        return
    if proc.is_alive():
        try:
            os.killpg(proc.pid or 0, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):   # killed before it made its group
            proc.kill()
    proc.join()
    proc.close()


def parse_isolated(data: bytes, name: str = "report", progress: Progress | None = None,
                   limits: Limits | None = None) -> ParsedReport:
    """parse_bytes in a child process, within `limits` (default: Limits.from_env())."""
    limits = limits or Limits.from_env()
    name = safe_name(name)
    if len(data) > limits.max_bytes:            # refused before a process is started
        raise FileTooLarge(len(data), limits.max_bytes)
    ctx = _context()
    recv, send = ctx.Pipe(duplex=False)
    scratch = tempfile.mkdtemp(prefix="gkcore-parse-")
    env = {**os.environ, "TMPDIR": scratch, "TEMP": scratch, "TMP": scratch}
    proc = ctx.Process(target=_child, args=(send, data, name, limits, progress is not None, env),
                       daemon=True, name=_CHILD_NAME)
    deadline = time.monotonic() + limits.seconds
    try:
        proc.start()
        send.close()
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeLimitExceeded(limits.seconds)
            if not recv.poll(min(left, _POLL)):
                continue
            try:
                msg = recv.recv()
            except EOFError:                     # the child died without a word
                proc.join(5)
                raise _death(proc, limits) from None
            if msg[0] == "progress":
                if progress:
                    progress(msg[1], msg[2])
                continue
            break
    finally:
        recv.close()
        _stop(proc)
        shutil.rmtree(scratch, ignore_errors=True)
    if msg[0] == "ok":
        report: ParsedReport = msg[1]
        return report
    if msg[0] == "memory":
        raise TooComplex("内存不足 / out of memory", limits.memory_mb)
    if msg[0] == "error":
        raise _rebuild(*msg[1:])
    log.error("parsing %s failed in the child process:\n%s", name, msg[2])
    raise InternalError(msg[1])
