"""The column headers of an unruled table: each template column's label found among the tokens above
the first row of figures, stacked lines of one header joined, a header half read found by its place
(unruled_place); the result is the table's Columns (unruled_cols), or None."""

from __future__ import annotations

from ..normalize import squash
from .layout import Token
from .settings import SETTINGS
from .unruled_cols import Columns
from .unruled_place import header_by_place


def _stacks(toks: list[tuple[Token, str]], label: str, h: float, part: int = 0) -> list[list[Token]]:
    """Every header whose text, its wrapped lines joined top to bottom (or a word continued to
    its right), is the label; top first. `toks`: each token with its squashed text. With `part`,
    also a header that is a run of at least `part` of the label's characters (a scan whose
    recogniser lost the rest: 商业企 with its wrapped 业 unread, or misread it: 商业康)."""
    want, out, used = squash(label), [], set[int]()
    up, hang = -SETTINGS.line_overlap * h, SETTINGS.hang_gap * h
    step, touch, line, gap = (SETTINGS.stack_step * h, SETTINGS.stack_touch * h, SETTINGS.stack_line * h,
                              SETTINGS.stack_gap * h)
    for t, key in toks:
        if part:                    # (a run of the label, its end misread: "商业康" for 商业企)
            key = _run_of(key, want)
        if id(t) in used or not key or (key not in want if part else not want.startswith(key)):
            continue
        start = want.index(key) if part else 0
        stack, got = [t], key
        while got != want[start:]:
            last = stack[-1]
            nxt = [u for u, k in toks if k and want.startswith(got + k, start) and (
                (up <= u.top - last.bottom <= hang and u.cy - last.cy >= step                # below (a scan's
                 and min(u.x1, last.x1) - max(u.x0, last.x0) > -touch)                        # boxes may touch)
                or (abs(u.cy - last.cy) <= line and 0 <= u.x0 - last.x1 <= gap))]
            if not nxt:
                break
            u = min(nxt, key=lambda u: u.top)
            stack.append(u)
            got += squash(u.text)
        if got == want or (part and len(got) >= part):
            out.append(stack)
            used.update(id(u) for u in stack)
    return out


def _run_of(key: str, want: str) -> str:
    """The longest start of a header's text that is a run of the label, when the text is no longer than
    the label (its last characters misread), else ""."""
    if len(key) > len(want):
        return ""
    return next((key[:n] for n in range(len(key), 0, -1) if key[:n] in want), "")


def _partial(keyed: list[tuple[Token, str]], label: str, labels: tuple[str, ...], h: float) -> list[list[Token]]:
    """Headers that hold a good part of the label, a run that is no other label's (a header half read)."""
    want = squash(label)
    others = [squash(x) for x in labels if x != label]
    return [st for st in _stacks(keyed, label, h, part=(len(want) + 1) // 2)
            if not any(_run_of("".join(squash(t.text) for t in st), want) in o for o in others)]


def _missing(seq: list[str], want: list[str]) -> list[int] | None:
    """The places in `want` whose labels `seq` lacks (no more than SETTINGS.heads_lost, never two side by
    side), when `seq` is `want` without them; else None."""
    out: list[int] = []
    j = 0
    for i, label in enumerate(want):
        if j < len(seq) and seq[j] == label:
            j += 1
        else:
            out.append(i)
    if j < len(seq) or len(out) > SETTINGS.heads_lost or any(b == a + 1 for a, b in zip(out, out[1:], strict=False)):
        return None
    return out


def find_columns(toks: list[Token], labels: tuple[str, ...], h: float, repeat: int = 1) -> Columns | None:
    """The columns whose header text is each label (the topmost header of each), or, with repeat,
    exactly `repeat` headers of each label, side by side in the label order (表四's three blocks).
    A label found nowhere whole may be found in part (a scan's lost characters); one read as nothing
    like it (in one of the blocks) by its place."""
    found: list[tuple[str, float, float, float]] = []
    keyed = [(t, squash(t.text)) for t in sorted(toks, key=lambda t: (t.top, t.x0))]
    tops: list[float] = []
    part = False
    lost: list[int] = []              # labels whose headers were read as nothing like them (no two side by side)
    names = list(labels) * repeat     # every column's label, left to right
    for k, label in enumerate(labels):
        stacks = _stacks(keyed, label, h)
        if len(stacks) < repeat:
            used = {id(t) for st in stacks for t in st}
            more = [st for st in _partial(keyed, label, labels, h) if not any(id(t) in used for t in st)]
            stacks, part = stacks + more, part or bool(more)
        if repeat == 1 and stacks:
            stacks = stacks[:1]
        if not stacks and repeat == 1 and len(lost) < SETTINGS.heads_lost and (not lost or lost[-1] < k - 1):
            lost.append(k)
            continue
        if len(stacks) > repeat or not stacks:
            return None
        found += [(label, min(t.x0 for t in st), max(t.x1 for t in st), max(t.bottom for t in st)) for st in stacks]
        tops += [min(t.top for t in st) for st in stacks]
    if len(found) < len(labels) * repeat and repeat > 1:   # a block's header read as nothing like its label
        found.sort(key=lambda f: f[1] + f[2])
        gaps = _missing([f[0] for f in found], names)
        if gaps is None:
            return None
        lost = gaps
    for k in lost:                    # in label order: the columns either side of each are found by then
        placed = header_by_place(toks, found, tops, k, names[k], h)
        if placed is None:
            return None
        found.insert(k, placed)
        part = True
    if part and max(tops) - min(tops) > SETTINGS.header_band * h:   # a header half read sits in the others' band
        return None
    found.sort(key=lambda f: f[1] + f[2])
    if repeat > 1 and [f[0] for f in found] != names:
        return None
    centers = [(a + b) / 2 for _, a, b, _ in found]
    if len(centers) < 2 or any(b <= a for a, b in zip(centers, centers[1:], strict=False)):
        return None
    return Columns(tuple(centers), tuple((a, b) for _, a, b, _ in found), max(c for *_, c in found))
