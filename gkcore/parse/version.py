"""The parser's version (part of every cache key) and the forms it reads: constants the cache,
the index and the command line need without importing the parser itself (its readers take
0.3 s to import; see bench/parse_speed.py, start-up)."""

from .formats import suffixes

PARSER_VERSION = "8"     # 3: cell notes are codes with parameters (model/notes.py); 4: the outline part;
# 5: the poor-scan readers of issue 18 (a scan cached by an older parser is read again); 6: their third
# round (missed marks, signs, a header found by its figures), a row whose label holds figures and a
# count with a fraction; 7: the fourth round (a slash read as "7", headers and rows that lost their
# labels' beginnings, a signed zero); 8: the fifth (headers half read at their ends or in a block,
# rows apart by their own values, slots at a table's edges, a label naming two rows, runs of dashes)

# The name endings of the forms read, from the reader registry (for folder scans and upload
# pickers; the kind of a file is always decided by its bytes, see formats.sniff).
DOCUMENT_SUFFIXES = suffixes()
