"""The data files gkcore ships (templates, criteria, labels, places, the outline), read one way:
UTF-8 text from the package's resources, decoded as TOML. Each module validates what it reads."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any


def data_text(package: str, name: str) -> str:
    """A bundled data file's text (`package`: a gkcore package holding it, e.g. "gkcore.parse.templates")."""
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def read_toml(package: str, name: str) -> dict[str, Any]:
    """A bundled TOML data file, decoded (a fresh dict each call: the caller may change it)."""
    return tomllib.loads(data_text(package, name))
