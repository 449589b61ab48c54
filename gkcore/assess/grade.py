"""One function per criterion: a Subject (and the same body's report of the year before, when the
library has it) -> a CriterionResult with its evidence. Never raises on a report: what cannot be
read is “cannot tell”. `assess` runs the list of criteria.toml in its order."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from ..model import FAIL, NOT_ASSESSABLE, PASS, UNSURE
from ..model.outline import DATE_HEAD, DATE_PUBLISHED, DATE_SIGNATURE, OTHER, OVERVIEW, PROBLEMS, SECTION_CODES
from .criteria import Criteria, Criterion, default_criteria
from .result import (
    CANNOT_TELL,
    CELL,
    CHECK,
    DATE,
    MET,
    NOT_MET,
    QUOTE,
    SECTION,
    SENTENCE,
    Assessment,
    CriterionResult,
    Evidence,
    Warning,
)
from .subject import CARRIED_OVER, CARRY_FORWARD, Subject, ref
from .text import repeated, sentence_around, sentences

_TITLES = dict(zip(SECTION_CODES, ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                                   "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                                   "六、其他需要报告的事项"), strict=True))
_TABLES = (("t2", "表二（主动公开）"), ("t3", "表三（收到和处理申请）"), ("t4", "表四（复议诉讼）"))
_DATE_NAMES = {DATE_PUBLISHED: ("网页发布日期", "the web page's publication date"),
               DATE_SIGNATURE: ("落款日期", "the date under the signature"),
               DATE_HEAD: ("标题下日期", "the date under the title")}
Grader = Callable[[Subject, Criterion, Criteria, "Subject | None"], CriterionResult]


def _r(c: Criterion, status: str, score: float | None, zh: str, en: str, ev: list[Evidence] | None = None,
       value: float | None = None) -> CriterionResult:
    return CriterionResult(c.code, c.name, c.name_en, status, score, c.weight, zh, en, tuple(ev or ()), value)


def on_time(s: Subject, c: Criterion, cr: Criteria, prev: Subject | None) -> CriterionResult:
    found = [d for k in (DATE_PUBLISHED, DATE_SIGNATURE, DATE_HEAD) if (d := s.outline.date(k))]
    ev = [Evidence(DATE, d.quote, d.page, d.kind) for d in found]
    if s.year is None:
        return _r(c, CANNOT_TELL, None, "未能读出报告年度。", "The report's year could not be read.", ev)
    if not found:
        return _r(c, CANNOT_TELL, None, "报告未印落款日期，网页也未印发布日期。",
                  "Neither a date under the signature nor a publication date is printed.")
    used = found[0]
    dl = cr.deadline_for(s.agency)
    due = date(s.year + 1, dl.month, dl.day)
    when = date.fromisoformat(used.date)
    zh_src, en_src = _DATE_NAMES[used.kind]
    art = cr.article(dl.law).source
    if when < date(s.year, 12, 1):
        return _r(c, CANNOT_TELL, None, f"{zh_src}{used.date}早于报告年度结束，不可信。",
                  f"{en_src} ({used.date}) is before the year reported on ended: not credible.", ev)
    ok = when <= due
    zh = (f"依据{zh_src}{used.date}；{dl.label}应于{due.isoformat()}前公布（{art}）。"
          + ("按时。" if ok else f"晚于期限{(when - due).days}天。"))
    en = (f"From {en_src}, {used.date}; {dl.label_en} publishes by {due.isoformat()} (Art. 49). "
          + ("On time." if ok else f"{(when - due).days} days late."))
    return _r(c, MET if ok else NOT_MET, 1.0 if ok else 0.0, zh, en, ev)


def complete(s: Subject, c: Criterion, cr: Criteria, prev: Subject | None) -> CriterionResult:
    ev, missing, renamed = [], [], []
    for code in SECTION_CODES:
        sec = s.outline.section(code)
        if sec is None:
            missing.append(_TITLES[code])
        else:
            ev.append(Evidence(SECTION, sec.heading, sec.page, code))
            if sec.renamed:
                renamed.append(f"{_TITLES[code]} →“{sec.heading}”")
    share = float(c.param("min_rows_share", 0.9))
    bad_tables = []
    by = {t.table: t for t in s.tables}
    for code, label in _TABLES:
        t = by.get(code)
        if t is None or t.rows_expected == 0 or t.rows_found < share * t.rows_expected:
            found = f"{t.rows_found}/{t.rows_expected}" if t else "0"
            bad_tables.append(f"{label} {found}")
        else:
            ev.append(Evidence(CELL, f"{label}：{t.rows_found}/{t.rows_expected} 行", t.pages[0] if t.pages else None,
                               code))
    score = ((6 - len(missing)) / 6 + (3 - len(bad_tables)) / 3) / 2
    notes = []
    if missing:
        notes.append("缺少：" + "、".join(missing))
    if bad_tables:
        notes.append("表格不全（找到行/应有行）：" + "、".join(bad_tables))
    if renamed:
        notes.append("已按位置和内容识别改名的部分：" + "；".join(renamed))
    ok = not missing and not bad_tables
    zh = ("六个部分和三张表齐全。" if ok else "") + "；".join(notes)
    en = ("All six sections and three tables present." if ok else
          f"Missing sections: {len(missing)}; incomplete tables: {len(bad_tables)}.") + (
        f" Renamed sections found by place and content: {len(renamed)}." if renamed else "")
    return _r(c, MET if ok else NOT_MET, round(score, 3), zh, en, ev)


def other_matters(s: Subject, c: Criterion, cr: Criteria, prev: Subject | None) -> CriterionResult:
    sec = s.outline.section(OTHER)
    if sec is None:
        return _r(c, NOT_MET, 0.0, "缺少“六、其他需要报告的事项”。", "Section 6 (other matters) is missing.")
    ev = [Evidence(SECTION, sec.heading, sec.page, OTHER)]
    items = [i for i in cr.other_items if s.template in i.templates]
    required = [i for i in items if i.required]
    lacking = []
    for item in items:
        m = next((m for rx in item.patterns if (m := rx.search(sec.text))), None)
        if m:
            ev.append(Evidence(QUOTE, sentence_around(sec.text, m.start(), m.end()), sec.page, item.code))
        elif item.required:
            lacking.append(item)
    if not required:
        return _r(c, MET, 1.0, "有“其他需要报告的事项”（该格式未要求具体事项）。",
                  "Section 6 present (this format asks for no particular item).", ev)
    score = (len(required) - len(lacking)) / len(required)
    unverified = "（该事项未与通知原文核对）" if any(not i.verified for i in required) else ""
    if lacking:
        names = "、".join(i.label for i in lacking)
        return _r(c, NOT_MET, score, f"第六部分未说明：{names}{unverified}。",
                  "Section 6 does not state: " + ", ".join(i.label_en for i in lacking) + ".", ev)
    return _r(c, MET, 1.0, f"第六部分说明了{'、'.join(i.label for i in required)}。",
              "Section 6 states " + ", ".join(i.label_en for i in required) + ".", ev)


def follow_up(s: Subject, c: Criterion, cr: Criteria, prev: Subject | None) -> CriterionResult:
    sec = s.outline.section(PROBLEMS)
    if sec is None:
        return _r(c, NOT_MET, 0.0, "缺少“五、存在的主要问题及改进情况”。", "Section 5 (problems) is missing.")
    prev_year = str(s.year - 1) if s.year else "----"
    for p in c.param("patterns", ()):
        m = re.search(p.replace("{prev}", prev_year).replace("{year}", str(s.year or "----")), sec.text)
        if m:
            q = sentence_around(sec.text, m.start(), m.end())
            return _r(c, MET, 1.0, "第五部分报告了以往问题的整改情况。",
                      "Section 5 reports on how earlier problems were dealt with.",
                      [Evidence(QUOTE, q, sec.page, PROBLEMS)])
    return _r(c, NOT_MET, 0.0, "第五部分只写了问题和今后打算，未报告上年度问题的整改情况。",
              "Section 5 lists problems and plans only, not how last year's problems were followed up.",
              [Evidence(SECTION, sec.heading, sec.page, PROBLEMS)])


def accurate(s: Subject, c: Criterion, cr: Criteria, prev: Subject | None) -> CriterionResult:
    fails = [k for k in s.checks if k.status == FAIL]
    passes = sum(k.status == PASS for k in s.checks)
    unsure = sum(k.status in (UNSURE, NOT_ASSESSABLE) for k in s.checks)
    ev = [Evidence(CHECK, k.message, None, f"{k.rule}:{';'.join(k.cells[:4])}") for k in fails[:20]]
    if not fails and not passes:
        return _r(c, CANNOT_TELL, None, f"没有可核对的校验（{unsure}项无法核对或不确定）。",
                  f"No check could be made ({unsure} not assessable or unsure).")
    score = passes / (passes + len(fails))
    if fails:
        return _r(c, NOT_MET, round(score, 3), f"{len(fails)}项校验不符（含表内勾稽、正文与表格）；{passes}项通过。",
                  f"{len(fails)} checks fail (table sums, prose against tables); {passes} pass.", ev)
    more = f"；{unsure}项无法核对或不确定" if unsure else ""
    return _r(c, MET, 1.0, f"{passes}项校验全部通过{more}。", f"All {passes} checks pass"
              + (f"; {unsure} not assessable or unsure." if unsure else "."))


def carry_over(s: Subject, c: Criterion, cr: Criteria, prev: Subject | None) -> CriterionResult:
    if prev is None:
        return _r(c, CANNOT_TELL, None, "库中没有该机关上一年度的报告。",
                  "Last year's report of this body is not in the library.")
    now, page = s.value(CARRIED_OVER)
    before, ppage = prev.value(CARRY_FORWARD)
    ev = [Evidence(CELL, "" if now is None else f"{now:g}", page, ref(CARRIED_OVER)),
          Evidence(CELL, "" if before is None else f"{before:g}", ppage, f"{prev.report_id}:{ref(CARRY_FORWARD)}")]
    if now is None or before is None:
        return _r(c, CANNOT_TELL, None, "上年结转或上年报告的结转下年度为空白，无法核对。",
                  "Carried over, or last year's carried forward, is blank.", ev)
    ok = now == before
    zh = (f"本年“上年结转”{now:g}件，{prev.year}年报告“结转下年度继续办理”{before:g}件"
          + ("，一致。" if ok else "，不一致。"))
    en = f"Carried over {now:g}; last year's report carried forward {before:g}" + (": equal." if ok else ": differ.")
    return _r(c, MET if ok else NOT_MET, 1.0 if ok else 0.0, zh, en, ev)


def substance(s: Subject, c: Criterion, cr: Criteria, prev: Subject | None) -> CriterionResult:
    ov = s.outline.section(OVERVIEW)
    if ov is None:
        return _r(c, NOT_MET, 0.0, "缺少“一、总体情况”。", "Section 1 (overview) is missing.")
    ev = [Evidence(SECTION, ov.heading, ov.page, OVERVIEW)]
    lacking = [t for t in cr.topics if not any(w in ov.text for w in t.words)]
    min_chars, min_sent = int(c.param("min_chars", 300)), int(c.param("min_sentences", 2))
    short = []
    if len(ov.text) < min_chars:
        short.append(f"总体情况仅{len(ov.text)}字")
    for code in (OVERVIEW, PROBLEMS):
        sec = s.outline.section(code)
        if sec is not None and len(sentences(sec.text)) < min_sent:
            short.append(f"{_TITLES[code]}只有一句")
            ev.append(Evidence(QUOTE, sec.text[:120], sec.page, code))
    parts = [1 - len(lacking) / max(1, len(cr.topics)), 0.0 if short else 1.0]
    score = round(sum(parts) / len(parts), 3)
    notes = []
    if lacking:
        notes.append("总体情况未涉及：" + "、".join(t.label for t in lacking))
    notes += short
    if not notes:
        return _r(c, MET, 1.0, "总体情况涵盖主动公开、依申请公开、政府信息管理、平台建设、监督保障，篇幅充分。",
                  "The overview covers all five topics at length.", ev)
    return _r(c, NOT_MET, score, "；".join(notes) + "。",
              f"Topics missing from the overview: {len(lacking)}; sections too short: {len(short)}.", ev)


def not_copied(s: Subject, c: Criterion, cr: Criteria, prev: Subject | None) -> CriterionResult:
    if prev is None:
        return _r(c, CANNOT_TELL, None, "库中没有该机关上一年度的报告，无法比对。",
                  "Last year's report of this body is not in the library.")
    min_chars, max_share = int(c.param("min_sentence_chars", 15)), float(c.param("max_share", 0.3))
    shares, ev, zh, en = [], [], [], []
    for code, name in ((OVERVIEW, "总体情况"), (PROBLEMS, "第五部分")):
        a, b = s.outline.section(code), prev.outline.section(code)
        if a is None or b is None:
            continue
        rep, n = repeated(a.text, b.text, min_chars)
        if not n:
            continue
        shares.append(len(rep) / n)
        ev += [Evidence(SENTENCE, x, a.page, code) for x in rep]
        zh.append(f"{name}{n}句中{len(rep)}句（{len(rep) / n:.0%}）")
        en.append(f"section {'1' if code == OVERVIEW else '5'}: {len(rep)} of {n} ({len(rep) / n:.0%})")
    if not shares:
        return _r(c, CANNOT_TELL, None, "总体情况和第五部分没有可比对的句子。",
                  "No sentence of sections 1 and 5 to compare.")
    worst = max(shares)
    ok = worst <= max_share
    msg_zh = f"与{prev.year}年报告相同的句子（数字不计）：{'；'.join(zh)}；每部分上限{max_share:.0%}。"
    msg_en = (f"Sentences repeating last year's report (figures masked): {'; '.join(en)}; "
              f"limit {max_share:.0%} a section.")
    return _r(c, MET if ok else NOT_MET, 1.0 if ok else round(1 - worst, 3), msg_zh, msg_en, ev, round(worst, 4))


GRADERS: dict[str, Grader] = {"on_time": on_time, "complete": complete, "other_matters": other_matters,
                              "follow_up": follow_up, "accurate": accurate, "carry_over": carry_over,
                              "substance": substance, "not_copied": not_copied}


def assess(s: Subject, prev: Subject | None = None, criteria: Criteria | None = None,
           warnings: tuple[Warning, ...] = (), only: tuple[str, ...] | None = None) -> Assessment:
    """The assessment of one report (`prev`: the same body's report of the year before, if any;
    `only`: the criteria to grade, e.g. those the index keeps)."""
    cr = criteria or default_criteria()
    results = tuple(GRADERS[c.code](s, c, cr, prev) for c in cr.criteria if only is None or c.code in only)
    return Assessment(s.report_id, s.agency, s.region, s.region_code, s.year, cr.id, results, warnings)
