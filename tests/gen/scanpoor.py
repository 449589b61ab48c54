"""Class 5b, poor scans (issue 18): the scan class's pages as many offices post them. Rendered at the
scanner's own resolution, 100-150 dpi (never a high-dpi image shrunk), on grey or cream paper, with
ink that fades and darkens across the page, specks of dust, a photocopier's bands, up to 1.5° of
skew, blur, sensor noise and JPEG quality 20-45.

Each degradation is drawn from the seed (whether it is there, and how strong), never tuned to a
file. Calibrated by eye on rendered pages: every digit stays legible to a human reader; the faded
ink keeps at least about half its contrast, a band darkens the paper but never to the ink's tone,
and a speck is a dot of one to two pixels, far smaller than a digit's stroke pattern.

The truth records the draw under "degradation" (bench/accuracy.py groups its figures by it)."""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

from tests.fixtures import make_scans

from . import _report as R
from .scan import page_of, printed

CLASS = "scanpoor"


def draw(rng: random.Random) -> dict[str, Any]:
    """The degradations of one document, drawn from `rng`."""
    return {
        "dpi": rng.choice([100, 110, 120, 130, 140, 150]),
        "quality": rng.randint(20, 45),
        "angle": round(rng.uniform(-1.5, 1.5), 2),
        "blur": round(rng.uniform(0.2, 0.6), 2),
        "noise": round(rng.uniform(3, 10), 1),
        "paper": rng.randint(205, 245),                 # the paper's grey (255: white)
        "ink": rng.randint(15, 60),                     # the ink's darkest tone
        "fade": round(rng.uniform(0.0, 0.45), 2) if rng.random() < 0.6 else 0.0,   # uneven ink: contrast lost
        "specks": rng.choice([0, 0, 60, 150, 300, 600]),                           # per page
        "bands": rng.choice([0, 0, 1, 2, 3]),                                      # photocopier streaks
    }


def _field(rng: np.random.Generator, h: int, w: int, cells: int) -> np.ndarray:
    """A smooth random field in [0, 1]: a coarse grid of random values, resized smoothly."""
    coarse = rng.random((cells, max(2, cells * w // max(h, 1))))
    img = Image.fromarray((coarse * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC)
    return np.asarray(img, dtype=np.float32) / 255.0


def degrade(img: Image.Image, rng: np.random.Generator, d: dict[str, Any]) -> bytes:
    """A page rendered at the scanner's dpi, as a poor scanner or copier gives it: JPEG bytes."""
    img = img.convert("L").rotate(d["angle"], resample=Image.BICUBIC, expand=False, fillcolor=255)
    ink = 1.0 - np.asarray(img, dtype=np.float32) / 255.0          # 0 paper .. 1 full ink
    h, w = ink.shape
    if d["fade"]:
        ink *= 1.0 - d["fade"] * _field(rng, h, w, 6)                # uneven ink: faded patches
    paper = np.full((h, w), float(d["paper"]), dtype=np.float32)
    paper += np.linspace(0, rng.uniform(0, 15), w)[None, :]          # uneven lighting
    for _ in range(d["bands"]):                                       # a copier's soft streak
        along = int(rng.integers(0, 2))
        n = h if along == 0 else w
        centre, half = rng.uniform(0, n), rng.uniform(3, 25) * d["dpi"] / 100
        prof = np.clip(1 - np.abs(np.arange(n) - centre) / half, 0, 1) * rng.uniform(12, 35)
        paper -= prof[:, None] if along == 0 else prof[None, :]
    paper = np.clip(paper, 150, 255)
    arr = paper - ink * (paper - d["ink"])
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(d["blur"]))
    arr = np.asarray(out, dtype=np.float32) + rng.normal(0, d["noise"], (h, w))
    n = d["specks"]
    if n:
        ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
        tone = np.asarray(rng.uniform(40, 150, n))
        arr[ys, xs] = np.minimum(arr[ys, xs], tone)
        big = rng.random(n) < 0.3                                     # some specks two pixels wide
        arr[ys[big], np.minimum(xs[big] + 1, w - 1)] = tone[big]
    buf = io.BytesIO()
    Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=d["quality"])
    return buf.getvalue()


def image_pdf(src: Path, dst: Path, rng: np.random.Generator, d: dict[str, Any]) -> int:
    original = pdfium.PdfDocument(src)
    doc = pdfium.PdfDocument.new()
    for i in range(len(original)):
        w, h = original[i].get_size()
        jpeg = degrade(original[i].render(scale=d["dpi"] / 72).to_pil(), rng, d)
        make_scans.jpeg_page(doc, w, h, jpeg)
    dst.write_bytes(make_scans.saved(doc))
    return len(original)


def make(seed: int, out: Path) -> Path:
    rng = R.seeded(seed, CLASS)
    spec, c, page, what = page_of(rng)
    d = draw(rng)
    doc = out / f"{CLASS}-{seed}.pdf"
    pages = printed(page, doc, lambda clean, dst: image_pdf(clean, dst, np.random.default_rng(seed), d))
    feats = ["image-only PDF, poor scan: " + ", ".join(f"{k} {v}" for k, v in d.items()), *what]
    R.write_truth(doc, {**R.truth(spec, c, pages, feats), "scan": True, "degradation": d})
    return doc
