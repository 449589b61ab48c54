"""Stage 1, bytes -> ParsedReport: the readers, the template, the mapping to template cells, the
metadata and the checks, run in a child process within limits (docs/architecture.md)."""
