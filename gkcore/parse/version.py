"""The parser's version (part of every cache key) and the forms it reads: constants the cache,
the index and the command line need without importing the parser itself (its readers take
0.3 s to import; see bench/parse_speed.py, start-up)."""

PARSER_VERSION = "3"     # 3: cell notes are codes with parameters (model/notes.py)

# The name endings of the forms read (for folder scans and upload pickers; the kind of a file is
# always decided by its bytes, see pipeline.sniff).
DOCUMENT_SUFFIXES = (".pdf", ".txt", ".md", ".html", ".htm", ".docx", ".doc")
