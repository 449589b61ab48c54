"""The dashboard's own stylesheet (ui.setup injects it on every page) and Plotly's configuration:

- Print: no sidebar, header, toolbar or widgets; every table printed whole (ui.table and
  ui.grid draw an HTML copy of each table that only print shows: st.dataframe is a canvas that
  prints clipped), charts kept on one page.
- Chinese mode: Streamlit's own words that Streamlit offers no setting for (the uploader's
  "Drag and drop files here" / "Browse files", "Running…") are replaced by Chinese with CSS;
  Plotly's (the toolbar's titles and notices) come from a locale in the chart's configuration;
  the main menu ("Made with Streamlit", "Rerun", …) is hidden
  (client.toolbarMode = "minimal" keeps only the app's own menu items, and there are none).
- Charts: Plotly's own toolbar, on, with its image button set to PNG or SVG (the user's choice in
  the sidebar); every export is drawn by the browser, offline."""

from __future__ import annotations

from typing import Any

import pandas as pd

PRINT = """
@media screen { .gk-print { display: none; } }
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDecoration"], [data-testid="stStatusWidget"], [data-testid="stFileUploader"],
  [data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stTextInput"],
  [data-testid="stNumberInput"], [data-testid="stButton"], [data-testid="stDownloadButton"],
  [data-testid="stRadio"], [data-testid="stCheckbox"], [data-testid="stElementToolbar"],
  [data-testid="stDataFrame"], [data-testid="stDataFrameResizable"], [data-testid="stDataEditor"],
  [data-testid="stExpanderToggleIcon"], .modebar-container, [data-testid="stSidebarCollapsedControl"],
  [data-testid="stPageLink"] { display: none !important; }
  .gk-print { display: block !important; }
  [data-testid="stMain"], [data-testid="stMainBlockContainer"], [data-testid="stAppViewContainer"] {
    margin: 0 !important; padding: 0 !important; max-width: none !important; overflow: visible !important;
    height: auto !important; position: static !important; }
  details, details > div { display: block !important; }
  .gk-print table { border-collapse: collapse; width: 100%; font-size: 8pt; table-layout: auto; }
  .gk-print th, .gk-print td { border: 1px solid #999; padding: 1px 3px; white-space: normal; }
  .gk-print th { white-space: nowrap; }
  [data-testid="stPlotlyChart"] { break-inside: avoid; }
  @page { size: A4; margin: 12mm; }
}
"""

# Streamlit's and Plotly's own words, in Chinese (the English text hidden, the Chinese put after it).
_ZH_WORDS = {
    '[data-testid="stFileUploaderDropzoneInstructions"] > div > span': "将文件拖放到此处",
    '[data-testid="stFileUploaderDropzoneInstructions"] > div > small': "每个文件不超过 50 MB",
    '[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"]': "选择文件",
}
# Plotly's own words in Chinese: a locale passed with the chart's configuration (config.locales),
# so no script is loaded (plotly.js looks every toolbar title and notice up in it).
PLOTLY_ZH = {
    "Download plot as a PNG": "下载图片（PNG）", "Download plot": "下载图片（SVG）",
    "Preparing image - this may take a few seconds": "正在生成图片…", "Image download succeeded": "图片已下载",
    "Sorry, there was a problem downloading your image!": "图片下载失败", "Zoom": "缩放", "Pan": "平移",
    "Box Select": "框选", "Lasso Select": "套索选择", "Zoom in": "放大", "Zoom out": "缩小", "Autoscale": "自动缩放",
    "Reset axes": "重置坐标轴", "Reset view": "重置视图", "Reset": "重置", "Toggle Spike Lines": "显示辅助线",
    "Show closest data on hover": "悬停显示最近的数据", "Compare data on hover": "悬停比较数据",
    "Toggle show closest data on hover": "悬停显示最近的数据", "Double-click to zoom back out": "双击恢复",
    "Click to enter Colorscale title": "", "Click to enter Plot title": "", "trace": "序列",
}


def _zh() -> str:
    words = "\n".join(
        f"{sel}, {sel} *:not([data-testid=\"stIconMaterial\"]) {{ font-size: 0 !important; }}\n"
        f"{sel} [data-testid=\"stIconMaterial\"] {{ font-size: 1.25rem !important; }}\n"
        f"{sel}::after {{ content: \"{zh}\"; font-size: 0.875rem; }}"
        for sel, zh in _ZH_WORDS.items())
    return f"""{words}
[data-testid="stStatusWidget"], [data-testid="InputInstructions"] {{ visibility: hidden; }}
"""


HIDDEN = """
[data-testid="stMainMenu"], [data-testid="stAppDeployButton"], footer { display: none !important; }
"""


def stylesheet(lang: str) -> str:
    """The <style> every page gets, for the language shown."""
    return f"<style>{PRINT}{HIDDEN}{_zh() if lang != 'en' else ''}</style>"


IMAGE_FORMATS = ("png", "svg")


def chart_config(fmt: str, lang: str, name: str = "gkdash") -> dict[str, Any]:
    """Plotly's configuration for st.plotly_chart: its toolbar on, the image button exporting
    `fmt` (png or svg) at twice the screen's resolution, no Plotly logo, Plotly's words in the
    user's language."""
    words = {"locale": "zh-CN", "locales": {"zh-CN": {"dictionary": PLOTLY_ZH}}} if lang != "en" else {}
    return {**words, "displayModeBar": True, "displaylogo": False,
            "toImageButtonOptions": {"format": fmt if fmt in IMAGE_FORMATS else "png", "filename": name,
                                     "scale": 2},
            "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


PRINT_ROWS = 500        # rows of a table's printed copy


def print_copy(shown: pd.DataFrame, hide_index: bool = True) -> str:
    """A table as HTML for print only (class gk-print): escaped, at most PRINT_ROWS rows."""
    head = shown.head(PRINT_ROWS).to_html(index=not hide_index, na_rep="", escape=True, border=0)
    more = f"<p>… {len(shown) - PRINT_ROWS:,}</p>" if len(shown) > PRINT_ROWS else ""
    return f'<div class="gk-print">{head}{more}</div>'
