"""Tokens of an unruled table: characters into words on one baseline each, with the cuts and joins
the unruled reader (readers/unruled.py) needs."""

from __future__ import annotations

from ..normalize import squash, starts_with_enumerator
from .layout import WIDE_GLYPHS, Token, footer, text_lines, tokens
from .pdfgeom import Char
from .settings import SETTINGS


def baselines(line: list[Char], h: float) -> list[list[Char]]:
    """A text line cut into its baselines. Full-height characters join a baseline whose centre
    is theirs; thin glyphs (一 、 “ —) join the baseline they overlap most."""
    bands: list[list[Char]] = []
    full = [c for c in line if c.bottom - c.top >= SETTINGS.full_height * h]
    for c in sorted(full, key=lambda c: c.cy):
        if bands and abs(c.cy - sum(x.cy for x in bands[-1]) / len(bands[-1])) <= SETTINGS.baseline_tol * h:
            bands[-1].append(c)
        else:
            bands.append([c])
    if not bands:
        return [line]
    spans = [(min(x.top for x in b), max(x.bottom for x in b)) for b in bands]
    for c in line:
        if c.bottom - c.top < SETTINGS.full_height * h:
            over = [k for k in range(len(bands)) if min(spans[k][1], c.bottom) - max(spans[k][0], c.top) > 0]
            k = min(over or range(len(bands)), key=lambda k: min(abs(x.cx - c.cx) for x in bands[k]))
            bands[k].append(c)
    return bands


def table_tokens(chars: list[Char], h: float) -> tuple[list[Token], list[Token]]:
    """Tokens on one baseline each: a text line whose cells' lines are staggered (headers centred
    in rows of different heights) is first cut into its baselines, so 自然 / 人 stay apart. Also
    the same text cut at narrower gaps, for the column headers (益组织 / 务机构 of two narrow
    columns set close together)."""
    out: list[Token] = []
    fine: list[Token] = []
    for ln in text_lines(chars):
        if footer(ln, h):
            continue
        for b in baselines(ln, h):
            b.sort(key=lambda c: c.x0)
            out.extend(tokens(b, h))
            fine.extend(tokens(b, SETTINGS.header_word_gap * h))
    return out, fine


def join_same_line(toks: list[Token], h: float) -> list[Token]:
    """Join label tokens that a narrow glyph's gap split on one line (3.危及 “ 三安全一稳定 ”)."""
    back, narrow, wide_gap = SETTINGS.join_back * h, SETTINGS.label_join * h, SETTINGS.wide_join * h
    out: list[Token] = []
    for t in sorted(toks, key=lambda t: t.x0):
        for k, a in enumerate(out):
            over = min(a.bottom, t.bottom) - max(a.top, t.top)
            d = t.x0 - a.x1
            wide = a.text[-1] in WIDE_GLYPHS or t.text[0] in WIDE_GLYPHS
            inside = t.x0 >= a.x0 and t.x1 <= a.x1 + back and len(t.text) <= 2
            if over > 0 and (inside or -back <= d <= (wide_gap if wide else narrow)) \
                    and not starts_with_enumerator(t.text):
                out[k] = Token(a.text + t.text, a.x0, min(a.top, t.top), max(a.x1, t.x1), max(a.bottom, t.bottom),
                               min(a.conf, t.conf))
                break
        else:
            out.append(t)
    return out


def split_at_starts(toks: list[Token], chars: list[Char], h: float) -> list[Token]:
    """Label columns start where the enumerated labels start (1.本机关…, （一）予以公开): a token running
    across such a start after a gap joined two cells (a group label's "法提供" and a row label's
    wrapped "息") and is cut there."""
    xs = sorted(t.x0 for t in toks if starts_with_enumerator(t.text))
    starts = [x for i, x in enumerate(xs) if sum(abs(y - x) <= SETTINGS.start_align * h for y in xs) >= 2
              and (i == 0 or x - xs[i - 1] > SETTINGS.start_align * h)]
    out: list[Token] = []
    for t in toks:
        cut = [x for x in starts if t.x0 + SETTINGS.start_cut_from * h < x < t.x1 - SETTINGS.start_cut_to * h]
        if not cut:
            out.append(t)
            continue
        mine = chars_of(t, chars)
        k = next((k for k in range(1, len(mine)) if abs(mine[k].x0 - cut[0]) <= SETTINGS.start_align * h
                  and mine[k].x0 - mine[k - 1].x1 >= SETTINGS.start_cut_gap * h
                  and mine[k - 1].text not in WIDE_GLYPHS), None)
        out.extend([token_of(mine[:k]), token_of(mine[k:])] if k else [t])
    return out


def chars_of(t: Token, chars: list[Char]) -> list[Char]:
    """The characters inside a token's box, left to right."""
    return sorted((c for c in chars if t.x0 - 0.1 <= c.x0 and c.x1 <= t.x1 + 0.1 and t.top - 0.1 <= c.top
                   and c.bottom <= t.bottom + 0.1), key=lambda c: c.x0)


def token_of(cs: list[Char]) -> Token:
    return Token("".join(c.text for c in cs), min(c.x0 for c in cs), min(c.top for c in cs), max(c.x1 for c in cs),
                 max(c.bottom for c in cs), min(c.conf for c in cs))


def split_headers(toks: list[Token], chars: list[Char], labels: tuple[str, ...]) -> list[Token]:
    """Header words of neighbouring narrow columns set as close as a word's own characters (a serif
    face, "社会公益法律服务其" for 社会公益 / 法律服务 / 其 of three columns) cut into the fewest runs that
    each lie within one column label, at the widest gaps among such cuts. A token that lies within a
    label, or holds a digit, is left whole."""
    keys = [squash(x) for x in labels]
    known = set("".join(keys))
    out: list[Token] = []
    for t in toks:
        if len(t.text) < 2 or not set(t.text) <= known or any(t.text in k for k in keys):
            out.append(t)         # (a figure, a row label, or a header within one label)
            continue
        mine = chars_of(t, chars)
        if "".join(c.text for c in mine) != t.text:
            out.append(t)
            continue
        cuts = _fewest_runs(mine, keys)
        if not cuts:
            out.append(t)
            continue
        bounds = [0, *cuts, len(mine)]
        out.extend(token_of(mine[a:b]) for a, b in zip(bounds, bounds[1:], strict=False))
    return out


def _fewest_runs(cs: list[Char], keys: list[str]) -> list[int]:
    """Cut positions splitting the characters into the fewest runs within a label (ties: the
    widest smallest gap), or [] when there is no such split."""
    n = len(cs)
    best: list[tuple[int, float, list[int]] | None] = [None] * (n + 1)   # (runs, -smallest gap, cuts)
    best[0] = (0, -float("inf"), [])
    for b in range(1, n + 1):
        for a in range(b):
            prev = best[a]
            if prev is None or not any("".join(c.text for c in cs[a:b]) in k for k in keys):
                continue
            gap = -(cs[a].x0 - cs[a - 1].x1) if a else -float("inf")
            cand = (prev[0] + 1, max(prev[1], gap), prev[2] + ([a] if a else []))
            if best[b] is None or cand[:2] < best[b][:2]:  # type: ignore[index]
                best[b] = cand
    got = best[n]
    return got[2] if got is not None and got[0] >= 2 else []
