"""gkcore: China's government information-disclosure annual reports as canonical tables.

    >>> import gkcore
    >>> report = gkcore.parse_file("report.pdf")          # a ParsedReport
    >>> gkcore.cells_frame([report])                      # the long table as a DataFrame

The core knows nothing of Streamlit; the dashboard's pages call it.
"""

from .errors import GkError
from .model import Cell, CheckResult, ParsedReport, ProseFigure, ReportMeta
from .model.frames import cells_frame, checks_frame, reports_frame
from .parse.pipeline import PARSER_VERSION, parse_bytes, parse_file
from .present.export import long_frame, wide_frame
from .store.cache import Cache, load_or_parse

__all__ = [
    "PARSER_VERSION", "Cache", "Cell", "CheckResult", "GkError", "ParsedReport", "ProseFigure",
    "ReportMeta", "cells_frame", "checks_frame", "load_or_parse", "long_frame", "parse_bytes",
    "parse_file", "reports_frame", "wide_frame",
]
