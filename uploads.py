"""The uploader of 报告 (app.py): every file, and every report inside a ZIP archive, parsed or
found in the cache; a bad file gets one clear message and the others still load.

- Progress moves only forward: one bar for the files of this upload (a file already read in an
  earlier upload is not counted again), a scan's recognised pages inside its file's share.
- A scan's progress names its scanned pages and the file's own page count.
- Messages belong to the upload that caused them: the next action clears them.
- A ZIP names every report it loaded."""

from __future__ import annotations

import io

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import ui


def _pdf_pages(data: bytes) -> int | None:
    """A PDF's page count (None when it is no readable PDF: the parser then says why)."""
    if not data.startswith(b"%PDF"):
        return None
    try:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(io.BytesIO(data))
        try:
            return len(doc)
        finally:
            doc.close()
    except Exception:  # noqa: BLE001 - a damaged file: the parser reports it properly
        return None


def half(message: str) -> str:
    """A gkcore error's message ("中文 / English", gkcore.errors) in the chosen language only."""
    zh, sep, en = message.rpartition(" / ")
    return message if not sep else (en if ui.lang() == "en" else zh)


class _Bar:
    """A progress bar that never goes back."""

    def __init__(self, slot: DeltaGenerator, text: str) -> None:
        self.done = 0.0
        self.bar = slot.progress(0.0, text=text)

    def show(self, fraction: float, text: str) -> None:
        self.done = max(self.done, min(1.0, fraction))
        self.bar.progress(self.done, text=ui.plain(text))


def upload(key: str, top: DeltaGenerator) -> tuple[list[str], DeltaGenerator]:
    """The uploader; returns the report ids of every file in it (the last upload's last) and the
    container the page draws the rest of itself in. While new files are read, the progress is in
    `top` (a placeholder at the top of the page) and the page's body is replaced by an empty
    placeholder (a body left on screen would stay there greyed out until the reading ends)."""
    t = ui.t
    files = st.file_uploader(t("上传年度报告（PDF、网页、Word、文本或 ZIP 压缩包，可多选）",
                               "Upload annual reports (PDF, web page, Word, text, or a ZIP of them)"),
                             type=ui.UPLOAD_TYPES, accept_multiple_files=True, key=key)
    files = files or []
    read: dict[str, list[str]] = st.session_state.setdefault(f"{key}_ids", {})   # file_id -> its report ids
    new = [f for f in files if f.file_id not in read]
    holder = st.empty() if new else st.container()
    messages: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    lib = ui.library()
    bar = _Bar(top, t("正在读取上传的文件…", "Reading the uploaded files…")) if new else None
    m = len(new)
    for i, f in enumerate(new, 1):
        assert bar is not None
        data = f.getvalue()
        total = _pdf_pages(data)

        def progress(k: int, n: int, name: str = f.name, i: int = i, total: int | None = total) -> None:
            whole = f"{total}" if total else "?"
            assert bar is not None
            bar.show((i - 1 + k / max(n, 1)) / m,
                     t(f"正在识别扫描件 {name}：扫描页 {k}/{n}（文件共 {whole} 页；文件 {i}/{m}）",
                       f"Reading the scan {name}: scanned page {k} of {n} (the file has {whole} pages; "
                       f"file {i} of {m})"))

        bar.show((i - 1) / m, t(f"正在读取 {f.name}（文件 {i}/{m}）…", f"Reading {f.name} (file {i} of {m})…"))
        results = lib.ingest_upload(data, f.name, seen, progress)
        loaded = []
        for res in results:
            if res.error:
                messages.append(("error", f"{res.name}{t('：', ': ')}{half(res.error)}"))
            elif res.duplicate_of:
                messages.append(("info", t(f"{res.name} 与 {res.duplicate_of} 内容相同，已合并。",
                                           f"{res.name} has the same bytes as {res.duplicate_of}: counted once.")))
            else:
                loaded.append(res.report_id)
        if len(results) > 1 or any("/" in r.name for r in results):      # a ZIP: name what it held
            names = lib.names(loaded)
            listed = t("、", "; ").join(names.get(r, r) for r in loaded) or t("无", "none")
            messages.append(("success", t(f"{f.name}：读取了 {len(loaded)} 份报告：{listed}",
                                          f"{f.name}: {len(loaded)} reports loaded: {listed}")))
        read[f.file_id] = loaded
    if bar is not None:
        top.empty()
    body = holder.container() if new else holder
    for kind, text in messages:          # shown once: the next run (the next action) clears them
        {"error": body.error, "info": body.info, "success": body.success}[kind](ui.plain(text))
    ids = [r for f in files for r in read.get(f.file_id, [])]
    return ids, body

