"""A cell's note (why it is unsure) as a code and its parameters, never as a sentence: the
dashboard renders it in the user's language from the templates in present/labels.toml ([notes]).
Stored as the code followed by its parameters as a JSON object: `cell_count{"expected":7,"found":8}`."""

from __future__ import annotations

import json
import re

_NOTE = re.compile(r"^([a-z][a-z0-9_]*)(\{.*\})?$", re.S)


def note(code: str, **params: object) -> str:
    """The stored form of a note."""
    return code + (json.dumps(params, ensure_ascii=False, sort_keys=True) if params else "")


def parse_note(text: str) -> tuple[str, dict[str, object]] | None:
    """(code, parameters) of a stored note; None for text that is no coded note."""
    m = _NOTE.match(text or "")
    if m is None:
        return None
    try:
        params = json.loads(m.group(2)) if m.group(2) else {}
    except ValueError:
        return None
    return (m.group(1), params) if isinstance(params, dict) else None
