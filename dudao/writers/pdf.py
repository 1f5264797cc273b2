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

# Which free faces stand in for the office fonts on a server without them, by role: the
# real name first (in case it is installed), then the Windows name, then a Debian face of
# the same kind (.ci/run installs fonts-arphic-ukai, fonts-arphic-uming, fonts-noto-cjk, and
# FandolFang from Debian's texlive-lang-chinese). 仿宋 (body) → FandolFang, a free 仿宋 of
# the GB2312 set (GPL with the font exception, so it may be embedded in PDFs), or where it
# is missing the light Ming of AR PL UMing, thinner than 宋体 as 仿宋 is; 楷体 (level-2
# headings) → AR PL UKai; 黑体 (level-1 headings) → Noto Sans CJK; 宋体 (page numbers) →
# Noto Serif CJK; 小标宋 (title, issuer mark) → Noto Serif CJK in bold, a heavy Song.
_SUBSTITUTES: dict[str, tuple[tuple[str, ...], str | None]] = {
    layout.FANGSONG: (
        ("仿宋", "FangSong", "FandolFang", "AR PL UMing CN", "Noto Serif CJK SC"),
        None,
    ),
    layout.KAITI: (("楷体", "KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"), None),
    layout.XIAOBIAOSONG: (("Noto Serif CJK SC", "Source Han Serif SC"), "bold"),
    layout.SONGTI: (("SimSun", "Noto Serif CJK SC", "Source Han Serif SC"), None),
    layout.HEITI: (("SimHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei"), None),
}


def libreoffice_path() -> str | None:
    """The soffice executable, or None when LibreOffice is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((c for c in _CANDIDATES if Path(c).is_file()), None)


def docx_to_pdf(docx: bytes, timeout: float = 120) -> bytes:
    """Convert a .docx to PDF with headless LibreOffice; WriterError if that is impossible."""
    return docx_to_pdfs([docx], timeout)[0]


def docx_to_pdfs(documents: list[bytes], timeout: float = 120) -> list[bytes]:
    """Convert several .docx files in one LibreOffice run (starting it is most of the cost
    of converting one); `timeout` is per document: two minutes, as a loaded server (or a
    test run on every core) can take tens of seconds for one letter."""
    if not all(docx.startswith(b"PK") for docx in documents):
        raise WriterError("要转换的文件不是 Word 文档（.docx），无法生成 PDF。")
    soffice = libreoffice_path()
    if soffice is None:
        raise WriterError("服务器未安装 LibreOffice，无法生成 PDF，请下载 Word 版（.docx）。")
    with tempfile.TemporaryDirectory(prefix="dudao-pdf-") as tmp:
        work = Path(tmp)
        fonts = work / "fonts.conf"
        fonts.write_text(_fontconfig(), encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(fonts)}
        profile = work / "profile"
        _run([soffice, _profile_arg(profile), "--headless", "--terminate_after_init"], env, timeout)
        macro = profile / "user" / "basic" / "Standard" / "Module1.xba"
        if not macro.parent.is_dir():
            raise WriterError("LibreOffice 未能启动，无法生成 PDF，请下载 Word 版（.docx）。")
        macro.write_text(_MACRO, encoding="utf-8")
        jobs = []
        for n, docx in enumerate(documents):
            source = work / f"document{n}.docx"
            source.write_bytes(docx)
            jobs += [str(source), str(work / f"document{n}.pdf")]
        listing = work / "jobs.txt"
        listing.write_text("\n".join(jobs) + "\n", encoding="utf-8")
        command = [
            soffice,
            _profile_arg(profile),
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nolockcheck",
            f'macro:///Standard.Module1.Convert("{listing}")',
        ]
        _run(command, env, timeout * max(len(documents), 1))
        results = []
        for n in range(len(documents)):
            result = work / f"document{n}.pdf"
            if not result.is_file() or result.stat().st_size == 0:
                raise WriterError("LibreOffice 未能生成 PDF，请下载 Word 版（.docx）后自行转换。")
            results.append(result.read_bytes())
        return results


def _profile_arg(profile: Path) -> str:
    return f"-env:UserInstallation={profile.as_uri()}"


# LibreOffice's .docx import ignores w:autoSpaceDE/DN and reads w:overflowPunct backwards
# (7.4), so digits get a gap from the Chinese around them ("17 号") and punctuation hangs
# into the margin. This Basic macro, placed in the run's fresh profile, opens each document,
# turns both off on every paragraph style (as the .docx asks), and exports the PDF; a
# document it cannot open is skipped, and the caller reports the missing PDF.
_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1"
 script:language="StarBasic">
Sub Convert(listFile As String)
  Dim n As Integer, src As String, dst As String, doc As Object
  n = FreeFile
  Open listFile For Input As #n
  Do While Not EOF(n)
    Line Input #n, src
    Line Input #n, dst
    ConvertOne(src, dst)
  Loop
  Close #n
End Sub

Sub ConvertOne(src As String, dst As String)
  On Error GoTo Failed
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = &quot;Hidden&quot;
  load(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), &quot;_blank&quot;, 0, load())
  If IsNull(doc) Then Exit Sub
  styles = doc.StyleFamilies.getByName(&quot;ParagraphStyles&quot;)
  For i = 0 To styles.Count - 1
    s = styles.getByIndex(i)
    s.ParaIsCharacterDistance = False
    s.ParaIsHangingPunctuation = False
  Next i
  Dim store(0) As New com.sun.star.beans.PropertyValue
  store(0).Name = &quot;FilterName&quot;
  store(0).Value = &quot;writer_pdf_Export&quot;
  doc.storeToURL(ConvertToURL(dst), store())
  doc.close(True)
  Exit Sub
Failed:
  If Not IsNull(doc) Then doc.close(True)
End Sub
</script:module>
"""


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
    """A fontconfig file: the system's configuration plus the office font names, each
    resolved to its stand-in (and weight) so LibreOffice never falls back to one face for
    all. Only Linux LibreOffice reads it; elsewhere the variable is ignored."""
    rules = []
    for name, (faces, weight) in _SUBSTITUTES.items():
        families = "".join(f"<string>{face}</string>" for face in faces)
        bold = f'<edit name="weight" mode="assign"><const>{weight}</const></edit>' if weight else ""
        rules.append(
            f'<match target="pattern"><test name="family"><string>{name}</string></test>'
            f'<edit name="family" mode="prepend" binding="strong">{families}</edit>{bold}</match>'
        )
    return (
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"{''.join(rules)}</fontconfig>"
    )
