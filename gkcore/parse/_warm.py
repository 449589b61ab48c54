"""Imported once by the parsers' forkserver (gkcore.parse.isolate) before it forks a child per parse:
loads now what a parse would otherwise load lazily in every child — cpca's place-name tables
(about 0.7 s), the special places, the templates."""

from .meta import _cpca, _special_places
from .template import all_templates

_cpca()
_special_places()
all_templates()
