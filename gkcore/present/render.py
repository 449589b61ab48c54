"""A PDF page as an image with one cell highlighted: the provenance of a value, shown."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from PIL import ImageDraw

from ..model.box import Box


def page_png(pdf: bytes, page: int, bbox: Box[float] | None = None,
             scale: float = 1.5, crop_margin: float | None = 120.0) -> bytes:
    """PNG of `page` (1-based); `bbox` (PDF points, top-left origin) outlined in red. With
    crop_margin, only the band of the page around the cell is kept."""
    doc = pdfium.PdfDocument(pdf)
    try:
        img = doc[page - 1].render(scale=scale).to_pil().convert("RGB")
    finally:
        doc.close()
    if bbox is not None:
        x0, top, x1, bottom = (v * scale for v in bbox)
        draw = ImageDraw.Draw(img, "RGBA")
        draw.rectangle((x0 - 3, top - 3, x1 + 3, bottom + 3), outline=(220, 30, 30, 255), width=3,
                       fill=(255, 230, 0, 70))
        if crop_margin is not None:
            m = crop_margin * scale
            img = img.crop((0, max(0, int(top - m)), img.width, min(img.height, int(bottom + m))))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()
