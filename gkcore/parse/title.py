"""A report's title, as the readers and the metadata both need it: the first lines up to the one
that says 年度报告, and the pattern that finds the year and the body in it."""

from __future__ import annotations

import re

from .normalize import squash
from .readers.base import Line

YEAR = r"((?:19|20)\d{2}|[〇零○Ｏ一二][〇零○Ｏ一二三四五六七八九]{3})"
TITLE_RE = re.compile(rf"^(?P<pre>.*?){YEAR}年度?(?P<post>.*?)(?:政府信息公开|政务公开)(?:工作)?(?:年度)?报告")
_LABEL_PREFIX = re.compile(r"^(?:标题[:：])")
# What a government site prints above an article's title: breadcrumbs, publication date and source,
# font-size and print buttons, index numbers.
_SITE_CHROME = re.compile(r"首页[>＞»]|当前位置[:：]|发布时间[:：]|发布日期[:：]|来源[:：]|【打印】|【关闭】|字号[:：]|"
                          r"浏览次数|访问量|分享到|索引号[:：]")
_CHROME_TAIL = re.compile(r"^[^【】]{0,8}】")      # the end of a chrome line wrapped onto the next: "闭】"


def title_text(lines: list[Line]) -> str:
    """The report's title: the first lines up to the one that says 年度报告."""
    acc = ""
    for ln in lines[:8]:
        text = _CHROME_TAIL.sub("", squash(ln.text))
        if _SITE_CHROME.search(text):     # a web page's own lines above its title are never part of it
            acc = ""
            continue
        acc += text
        if "报告" in acc and TITLE_RE.match(_LABEL_PREFIX.sub("", acc)):
            return _LABEL_PREFIX.sub("", acc)
    return ""
