"""PDF through headless LibreOffice, where it is installed.

Each conversion runs in its own temporary directory with its own LibreOffice profile
(-env:UserInstallation): two soffice processes sharing a profile block each other, and a
profile left locked by a crash would block every later run.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from dudao.writers import layout
from dudao.writers.errors import WriterError

_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)

# Which installed faces stand in for the office fonts on a Linux server without them:
# the real name first (in case it is installed), then a face of the same kind, then Noto.
_SUBSTITUTES = {
    layout.FANGSONG: ("仿宋", "FangSong", "Noto Serif CJK SC", "Source Han Serif SC"),
    layout.KAITI: ("楷体", "KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"),
    layout.XIAOBIAOSONG: ("宋体", "SimSun", "Noto Serif CJK SC", "Source Han Serif SC"),
    layout.SONGTI: ("SimSun", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN"),
    layout.HEITI: ("SimHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei"),
}


def libreoffice_path() -> str | None:
    """The soffice executable, or None when LibreOffice is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((c for c in _CANDIDATES if Path(c).is_file()), None)


def docx_to_pdf(docx: bytes, timeout: float = 60) -> bytes:
    """Convert a .docx to PDF with headless LibreOffice; WriterError if that is impossible."""
    if not docx.startswith(b"PK"):
        raise WriterError("要转换的文件不是 Word 文档（.docx），无法生成 PDF。")
    soffice = libreoffice_path()
    if soffice is None:
        raise WriterError("服务器未安装 LibreOffice，无法生成 PDF，请下载 Word 版（.docx）。")
    with tempfile.TemporaryDirectory(prefix="dudao-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(docx)
        fonts = work / "fonts.conf"
        fonts.write_text(_fontconfig(), encoding="utf-8")
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        env = {**os.environ, "FONTCONFIG_FILE": str(fonts)}
        _run(command, env, timeout)
        result = work / "out" / "document.pdf"
        if not result.is_file() or result.stat().st_size == 0:
            raise WriterError("LibreOffice 未能生成 PDF，请下载 Word 版（.docx）后自行转换。")
        return result.read_bytes()


def _run(command: list[str], env: dict[str, str], timeout: float) -> None:
    # A session of its own, so a timeout kills soffice.bin too, not just its launcher.
    with subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=os.name == "posix",
    ) as process:
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            if os.name == "posix":
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
            process.communicate()
            raise WriterError(
                f"LibreOffice 转换 PDF 超时（{timeout:g} 秒），请稍后重试或下载 Word 版（.docx）。"
            ) from None
    if process.returncode != 0:
        detail = stderr.decode("utf-8", "replace").strip()[-200:]
        raise WriterError(
            f"LibreOffice 转换 PDF 失败（{detail or process.returncode}），"
            "请下载 Word 版（.docx）。"
        )


def _fontconfig() -> str:
    """A fontconfig file: the system's configuration plus aliases for the office fonts.

    Only Linux LibreOffice reads it; elsewhere the variable is ignored.
    """
    aliases = "".join(
        f'<alias binding="same"><family>{name}</family><prefer>'
        + "".join(f"<family>{face}</family>" for face in faces)
        + "</prefer></alias>"
        for name, faces in _SUBSTITUTES.items()
    )
    return (
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"{aliases}</fontconfig>"
    )
