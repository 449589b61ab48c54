"""gkcore: China's government information-disclosure annual reports as canonical tables.

    >>> import gkcore
    >>> report = gkcore.parse_file("report.pdf")          # a ParsedReport
    >>> gkcore.cells_frame([report])                      # the long table as a DataFrame

The core knows nothing of Streamlit; the dashboard's pages call it.

The names below are imported when first used (PEP 562), so that `import gkcore` and the command
line start without pandas, pyarrow and the parser's readers (`python -X importtime -m gkcore`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import GkError
    from .model import Cell, CheckResult, ParsedReport, ProseFigure, ReportMeta
    from .model.frames import cells_frame, checks_frame, reports_frame
    from .parse.pipeline import PARSER_VERSION, parse_bytes, parse_file
    from .present.export import long_frame, wide_frame
    from .store.cache import Cache, load_or_parse

_WHERE = {
    "GkError": ".errors",
    **dict.fromkeys(("Cell", "CheckResult", "ParsedReport", "ProseFigure", "ReportMeta"), ".model"),
    **dict.fromkeys(("cells_frame", "checks_frame", "reports_frame"), ".model.frames"),
    **dict.fromkeys(("PARSER_VERSION", "parse_bytes", "parse_file"), ".parse.pipeline"),
    **dict.fromkeys(("long_frame", "wide_frame"), ".present.export"),
    **dict.fromkeys(("Cache", "load_or_parse"), ".store.cache"),
}

__all__ = [
    "PARSER_VERSION", "Cache", "Cell", "CheckResult", "GkError", "ParsedReport", "ProseFigure",
    "ReportMeta", "cells_frame", "checks_frame", "load_or_parse", "long_frame", "parse_bytes",
    "parse_file", "reports_frame", "wide_frame",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'gkcore' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
