"""Stage 2, everything on disk: cache entries with their manifests, repair, the partitioned
Parquet index and the DuckDB queries over it (docs/architecture.md)."""
