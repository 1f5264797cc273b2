"""Checks on evidence uploads: size, allowed types by content (not only by name), safe names."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from dudao.rectification.errors import LedgerError

# extension -> (content type, content check)
_OOXML = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/"),
}
_MAGIC: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    # Legacy Office files share the OLE2 compound-file signature.
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "ofd": ("application/ofd", (b"PK\x03\x04",)),
    "zip": ("application/zip", (b"PK\x03\x04",)),
}
ALLOWED_EXTENSIONS = tuple(sorted({*_OOXML, *_MAGIC}))


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    content_type: str


def check_name(name: str) -> str:
    """The original file name, refused if it carries a path (`../`, `/`, `\\`) or control
    characters; it is only ever shown, never used to store the file."""
    if not name or not name.strip():
        raise LedgerError("文件名为空", field="file")
    if (
        any(sep in name for sep in ("/", "\\"))
        or ".." in PurePosixPath(name).parts
        or (name.startswith(".."))
    ):
        raise LedgerError("文件名不能包含路径（如“../”），请改名后重新上传", field="file")
    if any(ord(ch) < 32 for ch in name):
        raise LedgerError("文件名含有非法字符，请改名后重新上传", field="file")
    if len(name) > 200:
        raise LedgerError("文件名过长（最多200个字符）", field="file")
    return name.strip()


def check_upload(
    name: str, head: bytes, data_for_zip: bytes | None, size: int, limit: int
) -> CheckedFile:
    """Validate an upload. `head` is its first bytes; `data_for_zip` the whole content when the
    type is a zip container (to look inside)."""
    name = check_name(name)
    if size == 0:
        raise LedgerError("文件是空的，请选择正确的文件", field="file")
    if size > limit:
        raise LedgerError(
            f"文件过大（{size / 1024 / 1024:.1f} MB），单个文件不能超过 {limit // 1024 // 1024} MB",
            field="file",
        )
    ext = PurePosixPath(name).suffix.lower().lstrip(".")
    allowed = "、".join(ALLOWED_EXTENSIONS)
    if ext not in _OOXML and ext not in _MAGIC:
        raise LedgerError(f"不支持的文件类型“.{ext}”。允许的类型：{allowed}", field="file")
    if ext in _OOXML:
        content_type, member_prefix = _OOXML[ext]
        if not head.startswith(b"PK\x03\x04") or not _zip_has(data_for_zip, member_prefix):
            raise LedgerError(
                f"文件内容与扩展名“.{ext}”不符（不是有效的 {ext} 文件），请检查后重新上传",
                field="file",
            )
        return CheckedFile(name=name, extension=ext, content_type=content_type)
    content_type, signatures = _MAGIC[ext]
    if not any(head.startswith(sig) for sig in signatures):
        raise LedgerError(
            f"文件内容与扩展名“.{ext}”不符，可能是改了扩展名的其他文件，请检查后重新上传",
            field="file",
        )
    return CheckedFile(name=name, extension=ext, content_type=content_type)


def _zip_has(data: bytes | None, prefix: str) -> bool:
    if data is None:
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names)
