"""Class 5, scans: a generated report laid out as a printed page (Chromium, no browser furniture),
rendered to images at 150-200 dpi and degraded as a scanner and a photocopier do (slight skew,
blur, sensor noise, uneven lighting, JPEG compression), wrapped as an image-only PDF.

Varied from the seed: template (the 2019 format more often, where most cells are often left
blank), how zeros are printed (0, blank, mixed blank / "/" / "—" / 0), columns empty all the way
down (the figures' own sparseness), ruling (mostly full, some horizontal-only or none), fonts,
dpi, angle, blur, noise, JPEG quality. Prose is kept short: OCR costs about 4-5 s a page, so a
document has two to four pages."""

from __future__ import annotations

import io
import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

from tests.fixtures import make_scans

from . import _report as R
from .webprint import print_pdf

CLASS = "scan"


def degrade(img: Image.Image, rng: np.random.Generator, angle: float, blur: float, noise: float,
            quality: int) -> bytes:
    """A rendered page as a scanner gives it: JPEG bytes."""
    img = img.convert("L").rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(blur))
    arr = np.asarray(img, dtype=np.float32) + rng.normal(0, noise, (img.height, img.width))
    arr += np.linspace(0, rng.uniform(0, 18), img.width)[None, :]
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def image_pdf(src: Path, dst: Path, rng: np.random.Generator, dpi: int, angle: float, blur: float, noise: float,
              quality: int) -> int:
    original = pdfium.PdfDocument(src)
    doc = pdfium.PdfDocument.new()
    for i in range(len(original)):
        w, h = original[i].get_size()
        jpeg = degrade(original[i].render(scale=dpi / 72).to_pil(), rng, angle, blur, noise, quality)
        make_scans.jpeg_page(doc, w, h, jpeg)
    dst.write_bytes(make_scans.saved(doc))      # no creation date or random file id
    return len(original)


def page_of(rng: random.Random) -> tuple[dict[str, Any], dict[str, Any], str, list[str]]:
    """A report drawn from `rng` as one compact HTML page: its spec, content, page and layout features."""
    spec = R.spec_for(rng)
    if rng.random() < 0.4:                        # the 2019 format, often sparse
        spec.update(tpl="2019", year=rng.choice([2019, 2020]))
    spec.update(prose=1, extra=0)
    spec["cells"] = rng.choice(["plain", "blank0", "blank0", "mixed"])
    c = R.content(spec)
    # a scan shows glyphs, not code points: a full-width "６７" is a printed 67
    c["raw"] = {k: v.translate(str.maketrans("０１２３４５６７８９", "0123456789")) for k, v in c["raw"].items()}
    ag, y = spec["agency"], spec["year"]
    title = rng.choice([[ag, f"{y}年政府信息公开工作年度报告"], [f"{ag}{y}年政府信息公开工作年度报告"]])
    borders = rng.choice(["full"] * 6 + ["horiz", "none"])
    sheet, what = R.css(rng, borders)
    sheet += "p{margin:2px 0} body{font-size:12px}"       # compact: few pages to recognise
    page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><style>@page{size:A4;margin:18mm 16mm}"
            f"{sheet}</style></head><body>{R.body_html(spec, c, title, set())}</body></html>")
    return spec, c, page, [f"zeros printed as: {spec['cells']}", *what]


def printed(page: str, doc: Path, scan: Callable[[Path, Path], int]) -> int:
    """Print `page` with Chromium and scan the print into `doc` with `scan(clean, doc)`; its page count."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp, "page.html")
        src.write_text(page, "utf-8")
        print_pdf(src, Path(tmp, "clean.pdf"), "zh-CN", furniture=False)
        return scan(Path(tmp, "clean.pdf"), doc)


def make(seed: int, out: Path) -> Path:
    rng = R.seeded(seed, CLASS)
    spec, c, page, what = page_of(rng)
    dpi, angle = rng.choice([150, 160, 175, 200]), round(rng.uniform(-1.2, 1.2), 2)
    blur, noise, quality = round(rng.uniform(0.3, 0.9), 2), round(rng.uniform(4, 12), 1), rng.randint(45, 85)
    doc = out / f"{CLASS}-{seed}.pdf"
    pages = printed(page, doc, lambda clean, dst: image_pdf(clean, dst, np.random.default_rng(seed), dpi, angle,
                                                             blur, noise, quality))
    feats = [f"image-only PDF, {dpi} dpi, angle {angle}°, blur {blur}, noise {noise}, JPEG quality {quality}", *what]
    R.write_truth(doc, {**R.truth(spec, c, pages, feats), "scan": True})   # a scan may keep cells unsure
    return doc
