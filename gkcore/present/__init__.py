"""Stage 4, what users see or download: reports side by side, trends, Plotly figures, CSV, XLSX
and Parquet files, review sheets, page images (docs/architecture.md). No Streamlit here."""
