"""Errors that stop the parsing of one file. Each message tells the user what to do, in
Chinese first and English after; checks never raise (see checks.py)."""

from __future__ import annotations

import unicodedata


class GkError(Exception):
    """Base class: the file cannot be parsed. `zh` and `en` are the two halves of the message."""

    zh = "无法解析该文件。"
    en = "The file cannot be parsed."

    def __init__(self, detail: str = "", zh: str | None = None, en: str | None = None) -> None:
        self.zh = zh or self.zh
        self.en = en or self.en
        self.detail = detail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        extra = f"（{self.detail}）" if self.detail else ""
        return f"{self.zh}{extra} / {self.en}"


_CONTROL = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _escape(ch: str) -> str:
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def safe_name(name: str, limit: int = 200) -> str:
    """A file name fit to put into a message, a terminal line or a table: control and format
    characters (NUL, newline, ESC colour sequences, bidi overrides) shown as escapes such as
    `\\x1b`, and very long names shortened."""
    out = "".join(_escape(ch) if unicodedata.category(ch) in _CONTROL else ch for ch in name)
    return out if len(out) <= limit else out[: limit - 1] + "…"


class EmptyFile(GkError):
    zh = "文件为空（0 字节），请重新下载或导出该报告。"
    en = "The file is empty (0 bytes); download or export the report again."


class UnsupportedFormat(GkError):
    """Bytes no reader takes. Each raise passes the message that names the formats read, built
    from the reader registry (gkcore.parse.formats.accepted); this is the fallback."""

    zh = "文件格式不受支持：请提供本程序可读格式的年度报告。"
    en = "Unsupported file format: provide the annual report in a format gkcore reads."


class CorruptPdf(GkError):
    zh = "PDF 文件已损坏或不完整，无法打开；请重新下载原文件。"
    en = "The PDF is damaged or incomplete and cannot be opened; download the original again."


class PasswordProtected(GkError):
    zh = "PDF 需要密码才能打开；请提供未加密的文件。"
    en = "The PDF needs a password to open; provide an unencrypted copy."


class NoPages(GkError):
    zh = "PDF 中没有任何页面。"
    en = "The PDF has no pages."


class NoTextLayer(GkError):
    zh = ("该 PDF 没有文字层，也无法识别其中的扫描图像（没有图像，或本机未安装离线 OCR 组件 rapidocr）；"
          "请提供可复制文字的 PDF 或清晰的扫描件。")
    en = ("The PDF has no text layer and its scanned images cannot be recognised (there are none, or the "
          "offline OCR package rapidocr is not installed); provide a PDF whose text can be copied, or a clear scan.")


class ScanUnreadable(GkError):
    """Scanned pages hold print but the offline recogniser read no text on them: a fault of the
    scan (or of the recogniser's installation), never a verdict on what the document is."""

    zh = ("扫描页上有文字或表格，但离线文字识别没有从中读出任何文字，因此无法解析。请确认扫描件方向正确、"
          "清晰（建议不低于 150 dpi），或改用可复制文字的 PDF；若其他扫描件同样失败，请用 make run 按锁定的版本"
          "重新安装（识别组件 OpenCV / RapidOCR 的版本可能不对）。")
    en = ("The scanned pages hold print, but the offline recogniser read no text on them, so the file cannot be "
          "parsed. Check that the scan is upright and clear (150 dpi or more), or use a PDF whose text can be "
          "copied; if every scan fails the same way, reinstall with `make run` from the lock (the recogniser's "
          "OpenCV / RapidOCR versions may be wrong).")

    def __init__(self, pages: list[int], name: str = "") -> None:
        listed = "、".join(map(str, pages[:10])) + ("…" if len(pages) > 10 else "")
        listed_en = ", ".join(map(str, pages[:10])) + ("…" if len(pages) > 10 else "")
        super().__init__(f"{name + '：' if name else ''}第 {listed} 页未读出文字 / page {listed_en} read no text")


class NotAnnualReport(GkError):
    zh = "该文件不是政府信息公开工作年度报告（未找到年度报告的标题或章节）。"
    en = ("This file is not a government information-disclosure annual report (no title or "
          "sections of such a report were found).")


class TablesNotFound(GkError):
    zh = "找到了年度报告的正文，但未找到表二、表三、表四的统计表格；请确认文件包含完整的统计表。"
    en = ("The report's text was found but not its tables (表二, 表三, 表四); check that the file "
          "contains the complete statistical tables.")


class TemplateError(GkError):
    zh = "模板数据文件有误。"
    en = "A template data file is invalid."


class UnsupportedFileType(UnsupportedFormat):
    """A file of a kind no reader takes (an image, an archive, a spreadsheet, …)."""


class EmptyWebPage(GkError):
    zh = ("网页中没有可读的正文（可能是框架页，或正文由脚本加载）；请在浏览器中打开报告正文，"
          "“另存为”完整网页，或把正文复制保存为文本文件。")
    en = ("The web page has no readable text (a frameset, or text loaded by scripts); open the report "
          "itself in a browser and save it as a complete web page, or copy its text into a text file.")


class CorruptDocx(GkError):
    zh = "Word（.docx）文件已损坏或不完整，无法打开；请重新下载原文件，或用 Word/WPS 打开后重新另存为 .docx。"
    en = ("The Word (.docx) file is damaged or incomplete and cannot be opened; download the original "
          "again, or open it in Word/WPS and save it as .docx again.")


class LegacyWordNeedsConversion(GkError):
    zh = ("这是旧版 Word（.doc）文件，本机没有可自动转换它的 LibreOffice；请用 Word 或 WPS 打开，"
          "“另存为” .docx 格式后再导入（或安装 LibreOffice 后重试）。")
    en = ("This is a legacy Word (.doc) file and LibreOffice, which converts it, is not installed; open "
          "it in Word or WPS, save it as .docx and import that (or install LibreOffice and try again).")


class LegacyWordConversionFailed(GkError):
    zh = "旧版 Word（.doc）文件转换失败（文件可能已损坏）；请用 Word 或 WPS 打开，“另存为” .docx 格式后再导入。"
    en = ("Converting the legacy Word (.doc) file failed (it may be damaged); open it in Word or WPS, save "
          "it as .docx and import that.")


class InternalError(GkError):
    zh = "解析该文件时发生内部错误（这是本工具的缺陷，不是您的问题）；请将该文件反馈给维护者。"
    en = "An internal error occurred while parsing this file (a defect of this tool); please report the file."


class CorruptCorrections(GkError):
    """The saved corrections cannot be read; the file is kept as it is (never overwritten)."""

    zh = ("已保存的更正记录文件（corrections.parquet）已损坏，无法读取；报告暂按原始数值显示，"
          "新的更正不会保存。该文件已原样保留：请从备份恢复，或将其移走后重新录入更正。")
    en = ("The saved corrections file (corrections.parquet) is damaged and cannot be read; reports show "
          "their original values and new corrections are not saved. The file is kept as it is: restore it "
          "from a backup, or move it away and enter the corrections again.")


class NotAValue(GkError):
    zh = "更正未保存：数字单元格只能填写数字、空白或“/”等占位符"
    en = "Correction not saved: a number cell holds a number, a blank or a placeholder such as “/”"


class UnknownColumn(GkError):
    """A query named a column the index does not have (a figure code not among the metrics'
    definitions, gkcore/model/metrics.py): refused before any SQL is written."""

    zh = "未知的列名或指标代码，查询未执行；请使用索引中已有的列或 gkcore/model/metrics.py 中定义的指标代码"
    en = ("Unknown column or figure code; the query was not run: use a column of the index or a figure code "
          "defined in gkcore/model/metrics.py")


class InvalidLimit(GkError):
    zh = "解析上限设置有误：必须是正数。"
    en = "A parsing limit is set wrongly: it must be a positive number."


class FileTooLarge(GkError):
    zh = ("文件超过大小上限，未解析；请确认这是年度报告本身（年度报告通常小于 20 MB），"
          "或提高上限（环境变量 GK_MAX_BYTES 或命令行 --max-bytes）。")
    en = ("The file is over the size limit and was not parsed; check that it is the annual report itself "
          "(reports are usually under 20 MB), or raise the limit (GK_MAX_BYTES or --max-bytes).")

    def __init__(self, size: int, limit: int) -> None:
        mb, lim = size / 2**20, limit / 2**20
        super().__init__(f"{mb:.1f} MB，上限 {lim:.0f} MB / {mb:.1f} MB, limit {lim:.0f} MB")


class TooManyPages(GkError):
    zh = ("PDF 页数超过上限，未解析。年度报告通常不超过 60 页；如确需解析，请提高页数上限"
          "（环境变量 GK_PAGE_LIMIT 或命令行 --page-limit）。")
    en = ("The PDF has more pages than the limit and was not parsed. Annual reports have at most about 60 "
          "pages; to parse it anyway, raise the page limit (GK_PAGE_LIMIT or --page-limit).")

    def __init__(self, pages: int, limit: int) -> None:
        super().__init__(f"{pages} 页，上限 {limit} 页 / {pages} pages, limit {limit}")


class TimeLimitExceeded(GkError):
    zh = ("解析超时，已停止。扫描件的文字识别每页约需 5 秒；如确需解析，请提高时间上限"
          "（环境变量 GK_TIME_LIMIT 或命令行 --time-limit）。")
    en = ("Parsing took longer than the time limit and was stopped. Recognising a scanned page takes about "
          "5 s; to parse it anyway, raise the time limit (GK_TIME_LIMIT or --time-limit).")

    def __init__(self, seconds: float) -> None:
        super().__init__(f"上限 {seconds:g} 秒 / limit {seconds:g} s")


class TooComplex(GkError):
    zh = ("文件过大或过于复杂，无法安全读取：解析进程超出了内存上限或异常终止，已停止（文件可能已损坏，"
          "或是“解压炸弹”）。如确认文件无误，可提高内存上限（环境变量 GK_MEMORY_LIMIT_MB 或命令行 --memory-limit）。")
    en = ("The file is too large or too complex to read safely: parsing ran out of its memory limit or stopped "
          "abnormally (the file may be damaged, or a decompression bomb). If the file is sound, raise the memory "
          "limit (GK_MEMORY_LIMIT_MB or --memory-limit).")

    def __init__(self, reason: str, memory_mb: int) -> None:
        super().__init__(f"内存上限 {memory_mb} MB；{reason}")


class ClusterUnreachable(GkError):
    """`gkcore ingest --cluster ADDRESS`: no Dask scheduler answers there (or local:N could not start)."""

    zh = ("无法连接集群调度器；请确认 `dask scheduler` 正在运行、地址和端口无误且本机可以访问，"
          "或改用 --cluster local:N 在本机启动。")
    en = ("Cannot reach the cluster's scheduler; check that `dask scheduler` is running, that the address and port "
          "are right and reachable from here, or use --cluster local:N to start one on this machine.")


class ClusterLost(GkError):
    """The scheduler went away during a cluster ingest; what was written stays, a rerun resumes."""

    zh = "与集群调度器的连接中断；已完成的报告都已保存，重新启动调度器后再次运行同一命令即可继续。"
    en = ("The connection to the cluster's scheduler was lost; the reports already done are saved: "
          "restart the scheduler and run the same command again to carry on.")
