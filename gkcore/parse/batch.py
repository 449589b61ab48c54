"""Batches: ZIP archives of reports (nested folders, Chinese names in UTF-8 or GBK), expanded in
memory — nothing is written to disk, so a `../` name cannot escape anywhere — with limits
against archive bombs: the sizes the archive declares are checked before anything is
decompressed (all members together, each member, its compression ratio), entries that share
their compressed data (the overlapping-files bomb) refuse the archive, and a member that lies
about its size is cut off at the member limit while being read."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..errors import GkError, safe_name
from .pipeline import DOCUMENT_SUFFIXES

MAX_MEMBERS = 2000
MAX_MEMBER_BYTES = 200 * 1024 * 1024       # one report
MAX_TOTAL_BYTES = 1024 * 1024 * 1024       # the whole archive, uncompressed
MAX_RATIO = 200                            # uncompressed / compressed, per member


class BadArchive(GkError):
    zh = "ZIP 压缩包无法读取或超出限制；请解压后逐个上传报告文件。"
    en = "The ZIP archive cannot be read or exceeds the limits; unpack it and upload the reports one by one."


@dataclass(frozen=True)
class Member:
    name: str          # path inside the archive, decoded
    data: bytes


def is_archive(data: bytes) -> bool:
    """A ZIP that is not a Word document."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        return "word/document.xml" not in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _name(info: zipfile.ZipInfo) -> str:
    """Names not flagged UTF-8 were written in the maker's code page: on Chinese Windows, GBK."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename


def expand(data: bytes, name: str) -> tuple[list[Member], list[tuple[str, str]]]:
    """The report files inside an archive, and (member, reason) for what was skipped."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadArchive(f"“{safe_name(name)}”：{exc}") from None
    name = safe_name(name)
    if len(infos) > MAX_MEMBERS:
        raise BadArchive(f"“{name}”：超过 {MAX_MEMBERS} 个文件 / more than {MAX_MEMBERS} files")
    declared = sum(i.file_size for i in infos)
    if declared > MAX_TOTAL_BYTES:
        raise BadArchive(f"“{name}”：声明解压后共 {declared / 2**30:.1f} GB，超过 1 GB，疑似压缩炸弹 / "
                         f"declares {declared / 2**30:.1f} GB uncompressed, over 1 GB (an archive bomb?)")
    starts = [i.header_offset for i in infos if not i.is_dir()]
    if len(set(starts)) < len(starts):
        raise BadArchive(f"“{name}”：多个文件共用同一段压缩数据，疑似压缩炸弹 / "
                         "several members share their compressed data (an archive bomb)")
    members: list[Member] = []
    skipped: list[tuple[str, str]] = []
    total = 0
    for info in infos:
        member = safe_name(_name(info), limit=400)        # names go into messages and tables
        path = PurePosixPath(member.replace("\\", "/"))  # archives made on Windows may use backslashes
        if info.is_dir() or path.name.startswith((".", "__MACOSX")) or "__MACOSX/" in path.as_posix():
            continue
        if path.suffix.lower() not in DOCUMENT_SUFFIXES:
            skipped.append((member, "不是报告文件类型 / not a report file type"))
            continue
        if info.file_size > MAX_MEMBER_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1) + 65536:
            skipped.append((member, "解压后过大，疑似压缩炸弹 / too large uncompressed (an archive bomb?)"))
            continue
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise BadArchive(f"“{name}”：解压后超过 1 GB / over 1 GB uncompressed")
        try:
            with zf.open(info) as f:
                content = f.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:   # RuntimeError: encrypted
            skipped.append((member, f"无法解压 / cannot be extracted: {exc}"))
            continue
        if len(content) > MAX_MEMBER_BYTES:
            skipped.append((member, "解压后过大 / too large uncompressed"))
            continue
        members.append(Member(member, content))
    return members, skipped
