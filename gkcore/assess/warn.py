"""Warnings, never failures: figures an evaluator would ask about. A rate far above its peers'
median (the same year's reports in the library), or no new request after many the year before."""

from __future__ import annotations

import math

from .criteria import Criteria, default_criteria
from .result import Warning

#: the rates compared with the peers: (metric code of gkcore.model.metrics, Chinese, English)
PEER_RATES = (("review_correction_rate", "复议纠错率", "review correction rate"),
              ("suit_correction_rate", "诉讼纠错率", "lawsuit correction rate"),
              ("no_info_rate", "“本机关不掌握相关政府信息”占比", "share answered 'no such information held'"))


def _num(v: object) -> float | None:
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def warnings(metrics: dict[str, object], peers: dict[str, object], n_peers: int,
             prev_received: float | None, criteria: Criteria | None = None) -> tuple[Warning, ...]:
    """`metrics`: the report's metric values; `peers`: the medians of its peers (n_peers reports)."""
    rules = (criteria or default_criteria()).warnings
    out = []
    if n_peers >= rules.min_peers:
        for code, zh, en in PEER_RATES:
            v, med = _num(metrics.get(code)), _num(peers.get(code))
            if v is None or med is None or v < rules.min_peer_rate:
                continue
            if v > rules.peer_factor * max(med, 1e-9):
                out.append(Warning(f"{code}_high", f"{zh}{v:.0%}，远高于同年度{n_peers}份报告的中位数{med:.0%}。",
                                   f"The {en} ({v:.0%}) is far above the median of {n_peers} reports of the "
                                   f"same year ({med:.0%}).", v, med))
    received = _num(metrics.get("received"))
    if received == 0 and prev_received is not None and prev_received >= rules.drop_from:
        out.append(Warning("requests_dropped_to_zero", f"本年新收申请为0件，上一年度为{prev_received:g}件。",
                           f"No new request this year, after {prev_received:g} the year before.", 0.0,
                           prev_received))
    return tuple(out)
