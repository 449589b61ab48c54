"""Scanned pages, offline: the page image's text through RapidOCR (its detection, direction and
recognition models ship inside the wheel) and its ruling lines through OpenCV, turned into the
same characters and edges as a text PDF, so the grid and position readers need no change (the
image straightened and its rules found before and beside the recogniser: pageimage.py).

Every recognised box keeps its confidence; cells read from low-confidence boxes are flagged
"unsure" by the table mapper."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .pageimage import Point
from .pdfgeom import Char
from .settings import SETTINGS

if TYPE_CHECKING:     # numpy is imported by the functions that run: a text PDF's parse needs none
    import numpy as np

    from . import glyphs

DOUBT = 0.6            # confidence given to a reading the recogniser did not vouch for (glyphs.DOUBT)
SCALE = 2.0            # render at 144 dpi: faster than larger and no less accurate (measured)


@dataclass(frozen=True)
class OcrPage:
    chars: list[Char]             # one a character, its box tight on its ink (as a text layer gives them)
    edges: list[dict[str, Any]]
    width: float
    height: float
    words: list[Char] = field(default_factory=list)     # one a recognised word: the page's text lines
    inked: bool = True            # the image holds print; with no words, the recogniser read none of it


#: onnxruntime's thread pools wait for work asleep, not spinning (its default keeps its threads spinning
#: between a model's operators and between calls: a page's some fifty recogniser batches, with our Python
#: and RapidOCR's pre- and post-processing between them): on 2 cores the spin took the CPU that our own
#: Python or another process needed. The same threads, so the same arithmetic and the same readings;
#: a sixth less CPU and time a page on a loaded machine (bench/ocr_speed.py, before and after)
SPIN = False

_arena = False           # the recogniser's memory arena: only in a process that asked for it (keep_buffers)


def keep_buffers() -> None:
    """Let this process's recogniser keep onnxruntime's memory arena (RapidOCR turns it off for every
    model): its buffers then stay from one of a page's some fifty small batches to the next, the same
    readings for about a tenth less time. Only for a process that forks no Python child after its OCR,
    as the per-parse child of gkcore.parse.isolate (one parse, then it exits): the arena keeps its
    address space for the process's life, and a child forked from such a process under a parse's
    RLIMIT_AS failed inside C code (test_fuzz's forked parse, after OCR tests had run in the pytest
    process: SystemError). The detector's session never keeps one (page-sized tensors: 1.2 GB more at
    its peak). Call it before the first OCR of the process: an engine already built stays as it is."""
    global _arena
    _arena = True


def _options(made: Any, arena: bool) -> Any:
    """RapidOCR's session options for one model (its own making), with ours: thread pools that sleep
    when idle (SPIN), and the memory arena as given."""
    made.enable_cpu_mem_arena = arena
    for pool in ("intra", "inter"):
        made.add_session_config_entry(f"session.{pool}_op.allow_spinning", "1" if SPIN else "0")
    return made


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr import RapidOCR  # imported lazily: loading the models takes about 1.5 s
    from rapidocr.inference_engine.onnxruntime.main import OrtInferSession

    # no direction classifier: after deskewing, scanned report pages are upright (saves 0.15 s a page)
    engine = RapidOCR(params={"Global.use_cls": False, "Det.limit_side_len": 960})
    for name in ("RapidOCR", "rapidocr"):      # it logs every model it loads at INFO level
        logging.getLogger(name).setLevel(logging.WARNING)
    # RapidOCR makes each session's options itself and offers no setting for these: its maker is wrapped
    # while the two models load (now, not at the first page), then restored
    maker = "_init_sess_opts"
    made = OrtInferSession.__dict__[maker]
    try:
        for load, arena in ((engine._load_det_model, False), (engine._load_rec_model, _arena)):
            setattr(OrtInferSession, maker, staticmethod(lambda cfg, a=arena: _options(made.__func__(cfg), a)))
            load()
    finally:
        setattr(OrtInferSession, maker, made)
    return engine


def available() -> bool:
    try:
        import cv2  # noqa: F401
        import rapidocr  # noqa: F401
    except ImportError:
        return False
    return True



def _char_boxes(word: Any) -> list[tuple[str, float, list[Point]]] | None:
    """The recogniser's (character, score, box) for each character of one word; None where it
    gave none (an empty page gives empty strings)."""
    import numpy as np

    try:
        return [(str(c[0]), float(c[1]), [tuple(p) for p in np.asarray(c[2], dtype=float).reshape(-1, 2).tolist()])
                for c in word]
    except (TypeError, IndexError, ValueError):
        return None


def _split_box(text: str, x0: float, top: float, x1: float, bottom: float, conf: float) -> list[Char]:
    """One recognised box; where it holds several words ("0 0", a box across two cells), one
    piece per word, placed in proportion to its characters, so no two numbers ever merge."""
    words = text.split()
    if len(words) <= 1:
        return [Char(text.strip(), x0, top, x1, bottom, conf)] if text.strip() else []
    width = (x1 - x0) / max(len(text), 1)
    out, pos = [], 0
    for w in words:
        start = text.index(w, pos)
        out.append(Char(w, x0 + start * width, top, x0 + (start + len(w)) * width, bottom, conf))
        pos = start + len(w)
    return out


def ocr_image(rgb: np.ndarray, scale: float = SCALE) -> OcrPage:
    """Characters (one per recognised box, with its confidence) and ruling lines of a page
    image rendered at `scale` pixels per PDF point."""
    import cv2
    import numpy as np

    from . import glyphs, marks, pageimage, signs

    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    gray, _angle = pageimage.deskew(gray)
    # the flags every time: a call's flags stay with the engine (see _read_alone)
    result = _engine()(cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB), use_det=True, use_cls=False, use_rec=True,
                       return_word_box=True, return_single_char_box=True)
    found_boxes = [[tuple(map(float, p)) for p in b] for b in (result.boxes if result.boxes is not None else ())]
    per_char = [_char_boxes(w) for w in (getattr(result, "word_results", None) or ())]
    if not _angle:       # no long rules to straighten the page by: its text lines then (an unruled scan)
        gray, found_boxes, per_char = pageimage.straighten(gray, found_boxes, per_char)
    mask = np.zeros_like(gray)
    edges = pageimage.ruling_edges(gray, scale, mask)
    clean = np.where(mask > 0, pageimage.paper_near(gray), gray).astype(gray.dtype)    # the ink, rules painted over
    words: list[Char] = []
    chars: list[Char] = []
    boxes: list[glyphs.Box] = []
    numbers: list[glyphs.Box] = []    # boxes that read as figures only: an unruled table's rows
    texts: list[Char] = []            # every recognised box, in page points
    heights: list[float] = []
    for i, (text, box, score) in enumerate(zip(result.txts or (), found_boxes, result.scores or (), strict=False)):
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        whole = glyphs.Box(int(min(xs)), int(min(ys)), int(max(xs)) + 1, int(max(ys)) + 1)
        boxes.append(whole)
        if glyphs.NUMBER.fullmatch(str(text).replace(" ", "")):
            numbers.append(whole)
        texts.append(Char(str(text), whole[0] / scale, whole[1] / scale, whole[2] / scale, whole[3] / scale))
        found = per_char[i] if i < len(per_char) else None
        if glyphs.upright(str(text), whole):      # a label set one character a line (三、本年度办理结果)
            words.append(Char(str(text), whole[0] / scale, whole[1] / scale, whole[2] / scale, whole[3] / scale,
                              float(score)))
            chars.extend(_glyph(clean, ch, b, scale, float(score)) for ch, b in glyphs.down(str(text), whole))
            continue
        parts = glyphs.strokes(glyphs.gaps(str(text), whole, found), float(score), clean)
        for k, (part, px, spans) in enumerate(parts):
            label_next = k + 1 < len(parts) and _han(parts[k + 1].text[:1])      # "1." of "1. 属于…"
            part, px, spans = signs.trim_dots(clean, part, px, spans, label_next)    # a speck read as "."
            sure = float(score)
            if signs.speck_sign(clean, part, px, spans):     # a minus of a speck's size: a speck read as
                sure = min(sure, DOUBT)                       # one ("1" as "-1") or a thin minus: unsure
            read, cap = glyphs.reread(clean, part, px)       # "/" read as "1", a dash as "一"
            if read.isdigit() and (sign := signs.minus_before(clean, px)) is not None:
                read, cap, px = "-" + read, DOUBT, px._replace(x0=sign[0])     # a minus left out: unsure, with it
                spans = [glyphs.Span("-", sign[0], sign[2]), *spans]
            elif read.isdigit() and signs.minus_before(clean, px, SETTINGS.minus_faint,
                                                        SETTINGS.minus_faint_width) is not None:
                cap = DOUBT                   # a faded minus, or a smudge: the figure unsure, as read
            heights += [px[3] - px[1]] if read.strip().isdigit() else []
            if cap is None and read.strip().isdigit() and _doubtful(sure) and _disputed(clean, read.strip(), px):
                cap = DOUBT                   # read otherwise alone and larger: neither reading vouched for
            conf = min(sure, cap) if cap is not None else sure
            words.extend(_split_box(read, px[0] / scale, px[1] / scale, px[2] / scale, px[3] / scale, conf))
            if read != part:                  # the second look's reading: one glyph in the part's box
                spans = [glyphs.Span(read.strip(), px[0], px[2])]
            light = glyphs.paper(clean, px)          # one paper level a word
            chars.extend(_abut([_glyph(clean, ch, glyphs.Box(x0, px[1], x1, px[3]), scale, conf, light)
                                for ch, x0, x1 in spans if ch.strip()],
                               (px[3] - px[1]) / scale))
    words = glyphs.split_at_rules(words, edges)
    if heights:                       # marks the detector missed, in a page with figures
        char_h = float(np.median(heights))

        def in_table(b: glyphs.Box) -> bool:     # a speckle outside a table is no figure: inside a ruled cell
            mark = Char("", b[0] / scale, b[1] / scale, b[2] / scale, b[3] / scale)      # that holds no text,
            if marks.enclosed(mark, edges, char_h / scale, texts):
                return not marks.in_read_cell(mark, edges, texts, char_h / scale)
            return marks.in_figure_row(b, numbers, char_h) \
                or marks.in_figure_column(b, numbers, boxes, char_h)         # or on a row or column of figures

        for text, mark, conf in marks.missed_twice(clean, boxes, mask, _read_alone, char_h, in_table, numbers):
            words.append(Char(text, mark[0] / scale, mark[1] / scale, mark[2] / scale, mark[3] / scale, conf))
            chars.append(_glyph(clean, text, mark, scale, conf))
    h, w = gray.shape
    chars = _lone_dashes([c for c in chars if c.text], float(np.median(heights)) / scale if heights else 8.0)
    return OcrPage(chars, edges, w / scale, h / scale, [c for c in words if c.text], pageimage.has_ink(gray))


def _glyph(gray: np.ndarray, text: str, box: glyphs.Box, scale: float, conf: float, light: float | None = None
           ) -> Char:
    """One character in page points, its box shrunk to its ink (as a text layer's glyph boxes are:
    the unruled reader measures gaps and heights against them)."""
    from . import glyphs

    x0, top, x1, bottom = glyphs.ink(gray, box, bool(glyphs.NUMBER.fullmatch(text)), light)
    return Char(text, x0 / scale, top / scale, x1 / scale, bottom / scale, conf)


_SMALL = frozenset("、.．，,)）")     # punctuation whose ink fills only the left of its place


def _abut(run: list[Char], height: float) -> list[Char]:
    """In one recognised word, a small punctuation mark's box stretched to the next character's
    ink, as the mark's place runs ("一、本年…" and "1.属于…" stay one label: the recogniser's span
    for a character is often a point or two off, which widens the gap after "、" past what the
    unruled reader joins); so is a digit's, to the next glyph closer than 0.4 of the word's height
    (a "1" is inked far thinner than its place: "178" stays one number); so is a Han character's,
    to the next one closer than half the word's height (a serif face at 150 dpi inks a character
    well inside its place, as a text layer's boxes never are: "4.保护第三 方合法权益" stays one
    label). Other gaps stay: the detector may run two narrow columns' header words or figures
    together ("0   80", "结果维结果纠")."""
    out = list(run)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        d = b.x0 - a.x1
        if 0 < d < height and a.text in _SMALL or 0 < d < SETTINGS.abut_digit * height and a.text.isdigit() \
                or 0 < d < SETTINGS.abut_han * height and _han(a.text) and _han(b.text):
            out[k] = Char(a.text, a.x0, a.top, b.x0, a.bottom, a.conf)
    return out


def _han(text: str) -> bool:
    return len(text) == 1 and "\u4e00" <= text <= "\u9fff"


def _read_alone(crop: np.ndarray) -> tuple[str, float]:
    """The recogniser alone on a small crop of the page (no detection): its text and score."""
    import cv2

    if crop.size == 0:
        return "", 0.0
    out = _engine()(cv2.cvtColor(crop, cv2.COLOR_GRAY2RGB), use_det=False, use_cls=False, use_rec=True)
    txts, scores = getattr(out, "txts", None) or (), getattr(out, "scores", None) or ()
    return (str(txts[0]), float(scores[0])) if txts and scores else ("", 0.0)


def _doubtful(score: float) -> bool:
    """A score a cell is shown clean with (tables.OCR_MIN_CONF and above) but that misreads reach."""
    return SETTINGS.second_read_low <= score < SETTINGS.second_read_high


def _disputed(clean: np.ndarray, text: str, box: tuple[int, int, int, int]) -> bool:
    """A figure read once more, alone and larger: True when the two readings differ ("174" read "124" at
    0.91 in its line, "174" alone)."""
    import cv2

    pad = max(2, int(SETTINGS.second_read_pad * (box[3] - box[1])))
    crop = clean[max(box[1] - pad, 0):box[3] + pad, max(box[0] - pad, 0):box[2] + pad]
    if crop.size == 0:
        return False
    big = cv2.resize(crop, None, fx=SETTINGS.second_read_scale, fy=SETTINGS.second_read_scale,
                     interpolation=cv2.INTER_CUBIC)
    return _read_alone(big)[0].replace(" ", "") != text


def _lone_dashes(chars: list[Char], h: float) -> list[Char]:
    """A dash standing alone (no character touching it, or within half a figure box's height, either
    side on its line) is a cell's "—", whichever dash the recogniser named ("0 — 110" read as
    "0-110"); a minus sign keeps its digits close, "一、" its "、"."""
    from . import glyphs

    out = []
    for c in chars:
        if c.text in glyphs.DASHES and c.text != "—" and not any(
                o is not c and abs(o.cy - c.cy) <= SETTINGS.lone_dash_line * h
                and (-h <= o.x0 - c.x1 <= SETTINGS.lone_dash_gap * h or -h <= c.x0 - o.x1 <= SETTINGS.lone_dash_gap * h)
                for o in chars):
            c = Char("—", c.x0, c.top, c.x1, c.bottom, c.conf)
        out.append(c)
    return out
