"""gkcore: China's government information-disclosure annual reports as canonical tables.

    >>> import gkcore
    >>> report = gkcore.parse_file("report.pdf")          # a ParsedReport
    >>> gkcore.cells_frame([report])                      # the long table as a DataFrame

The core knows nothing of Streamlit; the dashboard's pages call it.
"""

from .cache import Cache, load_or_parse
from .errors import GkError
from .export import cells_frame, checks_frame, long_frame, reports_frame, wide_frame
from .model import Cell, CheckResult, ParsedReport, ProseFigure, ReportMeta
from .pipeline import PARSER_VERSION, parse_bytes, parse_file

__all__ = [
    "PARSER_VERSION", "Cache", "Cell", "CheckResult", "GkError", "ParsedReport", "ProseFigure",
    "ReportMeta", "cells_frame", "checks_frame", "load_or_parse", "long_frame", "parse_bytes",
    "parse_file", "reports_frame", "wide_frame",
]
