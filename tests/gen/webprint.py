"""Class 4, printed web pages: a report published as a web page, printed to PDF by Chromium WITH the
browser's header and footer (date and time, the page's <title>, its URL, n/N).

Varied from the seed: style sheet (fonts, sizes, table widths, full / horizontal / no borders),
page breaks before sections, how zeros are printed (0, blank, "/", "—"), the site's own chrome
above the title (breadcrumbs, 发布时间, 【打印】), a long or one-line title, title characters
replaced by Kangxi-radical code points (⼈⺠ for 人民) in the page and in its <title>, the
<title> itself (the report's title, or the site's name with it), the browser language (the
date format of the header) and the URL's path.

Truth: agency, region and year are those of the document's own title, never the furniture.
Needs /usr/bin/chromium (Debian package chromium)."""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

from . import _report as R

CLASS = "webprint"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
SITES = ["www.{p}.gov.cn/zwgk/zfxxgk/zfxxgknb", "www.{p}.gov.cn/xxgk/ndbg/{y}", "zwgk.{p}.gov.cn/col/col1229/art",
         "www.{p}.gov.cn/nw12344/{y}0120"]
PINYIN = ["shuyang", "xihu", "wuhou", "nanshan", "jinshui", "hongshan", "huangdao", "shushan", "yuelu",
          "chaoyang", "siming", "yanta", "changan"]


def print_pdf(page: Path, pdf: Path, lang: str, furniture: bool = True) -> None:
    """Chromium's print of a local page (with the header and footer unless furniture is False)."""
    with tempfile.TemporaryDirectory() as profile:
        cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--lang={lang}", f"--print-to-pdf={pdf}",
               *([] if furniture else ["--no-pdf-header-footer"]), page.as_uri()]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120, env={"LANG": f"{lang}.UTF-8",
                                                                                 "HOME": profile})
    if not pdf.exists():
        raise RuntimeError(f"chromium printed nothing for {page}")


def page_html(spec: dict, c: dict, rng, feats: list[str]) -> str:  # type: ignore[type-arg]
    ag, y = spec["agency"], spec["year"]
    full = f"{ag}{y}年政府信息公开工作年度报告"
    style = rng.choice(["one", "two", "long", "yearfirst"])
    title = {"one": [full], "two": [ag, f"{y}年政府信息公开工作年度报告"],
             "yearfirst": [f"{y}年{ag}政府信息公开工作年度报告"],
             "long": [f"{ag}{y}年度政府信息公开工作年度报告（{rng.choice(['全文', '文字版', '正式版'])}）"]}[style]
    if style == "long":
        spec["long"] = True
    share = rng.choice([0.0, 0.5, 1.0])
    shown = [R.kangxi(t, rng, share) for t in title]
    head_title = rng.choice([shown[0] if len(shown) == 1 else "".join(shown),
                             f"{R.kangxi(full, rng, share)}_{spec['agency'][:3]}政府门户网站",
                             f"政府信息公开年报 - {R.kangxi(ag, rng, share)}"])
    feats += [f"title {style}, Kangxi share {share}", f"<title> {head_title}"]
    breaks = set(rng.sample(["二", "三", "四", "五"], rng.randint(0, 2)))
    feats.append(f"page breaks before {sorted(breaks)}")
    sheet, what = R.css(rng)
    feats += what
    chrome = ""
    if rng.random() < 0.6:
        chrome = ("<div class='crumb'>首页 &gt; 政务公开 &gt; 政府信息公开年报</div>"
                  f"<div>发布时间：{y + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)}　来源：{html.escape(ag)}"
                  "　【字号：大 中 小】【打印】【关闭】</div>")
        feats.append("site chrome above the title")
    body = R.body_html(spec, c, shown, breaks)
    return (f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{html.escape(head_title)}</title>"
            f"<style>{sheet}</style></head><body>{chrome}{body}</body></html>")


def make(seed: int, out: Path) -> Path:
    rng = R.seeded(seed, CLASS)
    spec = R.spec_for(rng)
    R.blank_style(spec, rng)
    c = R.content(spec)
    feats = [f"zeros printed as: {spec['cells']}"]
    doc = out / f"{CLASS}-{seed}.pdf"
    lang = rng.choice(["zh-CN", "zh-CN", "en-US"])
    feats.append(f"browser language {lang}")
    with tempfile.TemporaryDirectory() as tmp:
        site = rng.choice(SITES).format(p=rng.choice(PINYIN), y=spec["year"] + 1)
        page = Path(tmp, site, f"t{spec['year'] + 1}0308_{rng.randint(10000, 99999)}.html")
        page.parent.mkdir(parents=True)
        page.write_text(page_html(spec, c, rng, feats), "utf-8")
        print_pdf(page, Path(tmp, "print.pdf"), lang)
        shutil.copyfile(Path(tmp, "print.pdf"), doc)
    pages = len(pdfium.PdfDocument(doc))
    R.write_truth(doc, R.truth(spec, c, pages, ["printed by Chromium with header and footer", *feats]))
    return doc
