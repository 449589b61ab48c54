"""Errors that stop the parsing of one file. Each message tells the user what to do, in
Chinese first and English after; checks never raise (see checks.py)."""

from __future__ import annotations


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


class EmptyFile(GkError):
    zh = "文件为空（0 字节），请重新下载或导出该报告。"
    en = "The file is empty (0 bytes); download or export the report again."


class UnsupportedFormat(GkError):
    zh = "文件格式不受支持：请提供 PDF 或 UTF-8 文本（.txt）格式的年度报告。"
    en = "Unsupported file format: provide the annual report as a PDF or a UTF-8 text (.txt) file."


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
    zh = "该 PDF 没有文字层（可能是扫描件）；OCR 识别功能即将推出，目前请提供可复制文字的 PDF。"
    en = ("The PDF has no text layer (probably a scan); OCR support is coming, until then "
          "provide a PDF whose text can be copied.")


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


class InternalError(GkError):
    zh = "解析该文件时发生内部错误（这是本工具的缺陷，不是您的问题）；请将该文件反馈给维护者。"
    en = "An internal error occurred while parsing this file (a defect of this tool); please report the file."
