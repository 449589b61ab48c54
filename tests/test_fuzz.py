"""A mutation fuzzer over the parser's entry point, `parse_bytes`, and over `sniff`.

Seeds: every bad input (tests/bad/, or the older tests/fixtures/bad/), the real PDFs, one real
text, web page, transcription and Word file (so every kind `sniff` knows is reached), and the
regression files in tests/fuzz/. Mutations: byte flips, truncation, chunks duplicated, deleted
or spliced in from another seed, and PDF tokens inserted (`obj`, `<<`, `stream`, `xref`, huge
numbers, `[[[[…`). The promise: parsing ends within a bound and raises nothing but a GkError.

Each example runs in a forked child (killed at the bound, memory capped), so a hang, a crash of
the PDF library or a runaway allocation is reported with its input instead of taking pytest with
it. The default suite runs a short, derandomized run; the long run:

    GK_FUZZ_EXAMPLES=20000 .venv/bin/pytest tests/test_fuzz.py -q     (or `make fuzz`)

A failure found is reduced by hypothesis; keep the reduced input in tests/fuzz/ (small files,
replayed by test_fuzz_regressions) and fix the parser.
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gkcore.errors import GkError
from gkcore.parse.limits import Limits
from gkcore.parse.pipeline import READERS, parse_bytes, sniff

HERE = Path(__file__).parent
FUZZ_DIR = HERE / "fuzz"
EXAMPLES = int(os.environ.get("GK_FUZZ_EXAMPLES", "0"))
LONG = EXAMPLES > 0
# The bound an example must finish within (a promise, far above the ~0.3 s a real report takes).
TIMEOUT = float(os.environ.get("GK_FUZZ_TIMEOUT", "30"))
MEMORY_CAP = Limits().memory_mb << 20   # the child's address space, as the app's (gkcore/parse/limits.py)
# Inputs built to exhaust the limits (tests/bad/README.md): test_bad_input parses them through
# parse_isolated; mutating them would only time how fast PDFium inflates gigabytes.
LIMIT_SEEDS = frozenset({"bomb-flate.pdf", "huge-content-stream.pdf"})


def _regressions() -> list[Path]:
    """The inputs the fuzzer (or a reading of the code) once broke the parser with."""
    return sorted(p for p in FUZZ_DIR.iterdir() if p.is_file() and p.name != "README.md") \
        if FUZZ_DIR.is_dir() else []


def _seed_files() -> list[Path]:
    bad = next((d for d in (HERE / "bad", HERE / "fixtures" / "bad") if d.is_dir()), None)
    out = sorted(p for p in bad.iterdir() if p.is_file() and p.suffix not in (".md", ".py")
                 and p.name not in LIMIT_SEEDS) if bad else []
    real = HERE / "fixtures" / "real"
    out += sorted(real.glob("*.pdf"))
    # one of every other kind, so that mutations reach each reader (and sniff's every branch)
    out += [real / "fujian-pingtan_2023_guanweihui.txt", real / "jiangsu-suqian-shuyang_2023_fagaiju.html",
            real / "shanghai_2024_kewei.pdfextract.md",
            HERE / "fixtures" / "generated" / "gen-2021-docx-merged.docx"]
    return [p for p in out if p.is_file()] + _regressions()


SEEDS = _seed_files()
SEED_BYTES = {p.name: p.read_bytes() for p in SEEDS}
SEED_NAMES = sorted(SEED_BYTES)

TOKENS = (
    b" obj ", b"endobj", b"<<", b">>", b"stream\n", b"\nendstream", b"xref\n0 1\n", b"trailer",
    b"startxref\n", b"%%EOF", b"1 0 R", b"0 0 R", b"99999999999999999999999", b"-2147483649",
    b"4294967296", b"1e308", b"/Length 2147483647", b"/Filter /FlateDecode", b"/Type /Page",
    b"/Type /Pages", b"/Count 999999999", b"/Kids [1 0 R]", b"/Encrypt", b"/ObjStm", b"(",
    b")", b"\\", b"%PDF-1.7\n", b"PK\x03\x04", b"<html><body>", b"<table><tr><td>", b"\x00",
    b"\xff\xfe", b"\xef\xbb\xbf", "表三".encode(), "三、收到和处理政府信息公开申请情况".encode(),
    b"[" * 10000, b"<<" * 5000, b"(" * 5000, b"9" * 500, b"9" * 5000, b"<div>" * 2000, b"<table>" * 1000,
    b"<tr>" * 1000, b'<td colspan="99999999999" rowspan="3000">', b"| 1 | 2 | |\n", b"\n| ---: |\n",
    "本年度共收到政府信息公开申请".encode(), "（三）不予公开 1.属于国家秘密".encode(),
    "四、政府信息公开行政复议、行政诉讼情况".encode(), b"word/document.xml",
)


@dataclass(frozen=True)
class Outcome:
    # "ok", "gkerror", "limit" (PDFium aborted at the memory cap: the app says TooComplex),
    # "error" (any other exception), "died" (killed by another signal: a crash), "hang"
    kind: str
    detail: str
    seconds: float


def mutate(data: bytes, ops: list[tuple[int, int, int, int]]) -> bytes:
    """Apply each operation (kind, a, b, c) to the bytes; positions are taken modulo the length."""
    buf = bytearray(data)
    for kind, a, b, c in ops:
        n = len(buf)
        k = kind % 7
        if k == 0 and n:                                  # flip bits of one byte
            buf[a % n] ^= (b % 255) + 1
        elif k == 1 and n:                                # truncate
            del buf[a % n:]
        elif k == 2 and n:                                # duplicate a chunk in place
            i = a % n
            buf[i:i] = buf[i:i + 1 + b % 4096]
        elif k == 3 and n:                                # delete a chunk
            i = a % n
            del buf[i:i + 1 + b % 4096]
        elif k == 4:                                      # splice in a chunk of another seed
            other = SEED_BYTES[SEED_NAMES[c % len(SEED_NAMES)]]
            if other:
                i = b % len(other)
                buf[a % (n + 1):a % (n + 1)] = other[i:i + 1 + c % 8192]
        elif k == 5:                                      # insert a PDF token, maybe repeated
            tok = TOKENS[b % len(TOKENS)] * (1 + c % 3)
            buf[a % (n + 1):a % (n + 1)] = tok
        elif k == 6 and n:                                # overwrite a byte with a special one
            buf[a % n] = (0, 0xFF, 0x7F, 0x80, ord("0"), ord("\n"), ord("/"), ord("%"))[b % 8]
    return bytes(buf)


def run_isolated(data: bytes, name: str, timeout: float = TIMEOUT) -> Outcome:
    """parse_bytes in a forked child, killed after `timeout` seconds."""
    rfd, wfd = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:                                          # child: parse, report, exit at once
        code = 0
        try:
            os.close(rfd)
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
            try:
                parse_bytes(data, name)
                msg = {"kind": "ok", "detail": ""}
            except GkError as exc:
                msg = {"kind": "gkerror", "detail": f"{type(exc).__name__}: {exc}"}
            except MemoryError:
                msg = {"kind": "limit", "detail": "MemoryError at the memory cap"}
            except BaseException as exc:   # noqa: BLE001 - the very thing the fuzzer looks for
                msg = {"kind": "error", "detail": "".join(traceback.format_exception(exc))[-4000:]}
            with os.fdopen(wfd, "w") as f:
                f.write(json.dumps(msg))
        except BaseException:              # noqa: BLE001
            code = 3
        finally:
            os._exit(code)
    os.close(wfd)
    chunks: list[bytes] = []
    deadline = start + timeout
    hung = False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            hung = True
            break
        ready, _, _ = select.select([rfd], [], [], left)
        if not ready:
            continue
        chunk = os.read(rfd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(rfd)
    if hung:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    seconds = time.monotonic() - start
    if hung:
        return Outcome("hang", f"no result after {timeout:.0f} s", seconds)
    if chunks:
        msg = json.loads(b"".join(chunks))
        return Outcome(msg["kind"], msg["detail"], seconds)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGABRT:
        return Outcome("limit", "SIGABRT (PDFium out of memory at the cap)", seconds)
    return Outcome("died", f"child exited with status {status} (signal {os.WTERMSIG(status)})"
                   if os.WIFSIGNALED(status) else f"child exited with status {status}", seconds)


def assert_safe(data: bytes, name: str) -> Outcome:
    out = run_isolated(data, name)
    assert out.kind in ("ok", "gkerror", "limit"), f"{out.kind} after {out.seconds:.1f} s: {out.detail}"
    return out


@pytest.fixture(autouse=True)
def _no_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """OCR is not what is fuzzed (and a mutated scan would cost seconds per example)."""
    monkeypatch.setattr("gkcore.parse.readers.ocr.available", lambda: False)


_ops = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 1 << 24), st.integers(0, 1 << 16),
                          st.integers(0, 1 << 16)), min_size=1, max_size=5)
_names = st.sampled_from(["report", "报告\x07\n.pdf", "a.txt", "年度报告.docx"])

# Short runs are derandomized (the same examples every time); long runs explore, and print a
# blob that replays a failure (@reproduce_failure). No example database is written.
_FUZZ = settings(max_examples=EXAMPLES or 25, deadline=None, derandomize=not LONG, database=None,
                 suppress_health_check=list(HealthCheck), print_blob=True)


def test_seeds_cover_every_kind() -> None:
    """The fuzzer starts from every kind sniff knows, and from every bad input."""
    kinds = set()
    for data in SEED_BYTES.values():
        try:
            kinds.add(sniff(data, "x"))
        except GkError:
            kinds.add("rejected")
    assert {"pdf", "html", "docx", "text", "rejected"} <= kinds
    assert len([p for p in SEEDS if "bad" in p.parent.name]) >= 10


@pytest.mark.parametrize("name", [n for n in SEED_NAMES if n not in {p.name for p in _regressions()}])
def test_seed_parses_safely(name: str) -> None:
    assert_safe(SEED_BYTES[name], name)


@_FUZZ
@given(seed=st.sampled_from(SEED_NAMES), ops=_ops, name=_names)
def test_parse_bytes_mutated(seed: str, ops: list[tuple[int, int, int, int]], name: str) -> None:
    data = mutate(SEED_BYTES[seed], ops)
    out = assert_safe(data, name if name != "report" else seed)
    assert out.seconds < TIMEOUT


@settings(max_examples=EXAMPLES or 200, deadline=None, derandomize=not LONG, database=None)
@given(seed=st.sampled_from(SEED_NAMES), ops=_ops, name=_names, head=st.binary(max_size=16))
def test_sniff_mutated(seed: str, ops: list[tuple[int, int, int, int]], name: str, head: bytes) -> None:
    """sniff decides a reader or rejects with a typed error, whatever the bytes (cheap: in-process)."""
    data = head + mutate(SEED_BYTES[seed][:8192], ops)
    try:
        kind = sniff(data, name)
    except GkError:
        return
    assert kind in READERS


@pytest.mark.parametrize("path", _regressions(), ids=lambda p: p.name)
def test_fuzz_regressions(path: Path) -> None:
    """Every input the fuzzer once broke the parser with: now a typed error (or a result), in time."""
    assert_safe(path.read_bytes(), path.name)


def test_isolation_reports_a_hang_and_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness itself: a parser that hangs or raises a bare exception is caught, not hidden."""
    import gkcore.parse.pipeline as pipeline_mod

    def hang(data: bytes, name: str = "") -> None:
        while True:
            time.sleep(0.05)

    monkeypatch.setattr(f"{__name__}.parse_bytes", hang)
    out = run_isolated(b"x", "x", timeout=0.5)
    assert out.kind == "hang" and out.seconds < 5

    def boom(data: bytes, name: str = "") -> None:
        raise KeyError("boom")

    monkeypatch.setattr(f"{__name__}.parse_bytes", boom)
    out = run_isolated(b"x", "x", timeout=5)
    assert out.kind == "error" and "KeyError: 'boom'" in out.detail
    assert pipeline_mod.parse_bytes is not boom
