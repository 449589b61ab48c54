"""The bounds every parse runs within: time, pages, memory and input size.

The defaults, and why:

- `pages` = 200. Real annual reports run to 60 pages at most (most are 5-20); 200 leaves room for
  a report bound with its appendices while a 2,000-page file is refused before any page is read.
- `seconds` = 600. A text PDF parses in well under a second, but OCR costs about 5 s a scanned
  page (more on a busy machine): a fully scanned 60-page report needs about 300 s, and the limit
  leaves it twice that.
- `memory_mb` = 4096, of address space (RLIMIT_AS), not of resident memory: the parser's imports
  (PDFium, pdfplumber; pyarrow and pandas until issue 12 left them out) reserve part of it and
  OCR with onnxruntime peaks at about 3.1 GB (1 GB resident) on the scanned fixtures. A 10 GB
  decompression bomb stops at 4 GB.
- `max_bytes` = 100 MB. The largest real report we hold is a 300 dpi scan of 0.7 MB a page, so a
  60-page scan is about 40 MB; 100 MB is over twice that (the uploader itself takes 50 MB a file).

Each can be set by an environment variable (GK_TIME_LIMIT in seconds, GK_PAGE_LIMIT,
GK_MEMORY_LIMIT_MB, GK_MAX_BYTES) or, on the command line, by --time-limit, --page-limit,
--memory-limit and --max-bytes. Only the page and size limits hold for an in-process
`parse_bytes`; time and memory are enforced by `gkcore.parse.isolate.parse_isolated`, which the cache,
the library, the dashboard and the command line use.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from ..errors import InvalidLimit

ENV = {"seconds": "GK_TIME_LIMIT", "pages": "GK_PAGE_LIMIT", "memory_mb": "GK_MEMORY_LIMIT_MB",
       "max_bytes": "GK_MAX_BYTES"}


@dataclass(frozen=True)
class Limits:
    seconds: float = 600.0
    pages: int = 200
    memory_mb: int = 4096
    max_bytes: int = 100 * 2**20

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not value > 0:
                raise InvalidLimit(f"{ENV[f.name]} = {value!r}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """The defaults, overridden by whichever of GK_TIME_LIMIT, GK_PAGE_LIMIT,
        GK_MEMORY_LIMIT_MB and GK_MAX_BYTES are set (and not empty)."""
        env = os.environ if env is None else env
        values: dict[str, float | int] = {}
        for f in fields(cls):
            raw = env.get(ENV[f.name], "").strip()
            if not raw:
                continue
            try:
                values[f.name] = float(raw) if f.name == "seconds" else int(raw)
            except ValueError:
                raise InvalidLimit(f"{ENV[f.name]} = {raw!r}") from None
        return cls(**values)  # type: ignore[arg-type]
