"""`dudao report`, `dudao ledger export --format xlsx` and `dudao ledger import` through the
console entry point."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dudao.audit.models import AuditEvent
from dudao.cli import main
from dudao.documents.models import OfficialDocument
from dudao.parser import parse_file
from dudao.rectification.models import Item

pytestmark = pytest.mark.django_db


def run(*args: str) -> None:
    main(list(args))


def fails(capsys: Any, *args: str) -> str:
    with pytest.raises(SystemExit) as exc:
        run(*args)
    assert exc.value.code != 0
    err: str = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def report_args(ledger: Any, out: Path, *extra: str) -> list[str]:
    return [
        "report",
        "--round",
        str(ledger.round.pk),
        "--region",
        "230422",
        "--kind",
        "rectification",
        "-o",
        str(out),
        *extra,
    ]


def test_report_writes_the_docx_and_keeps_a_version(
    ledger: Any, tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "report.docx"
    run(*report_args(ledger, out, "--doc-number", "绥政函〔2024〕17号", "--date", "2024-05-28"))
    assert "已生成 绥政函〔2024〕17号" in capsys.readouterr().out
    parsed = parse_file(out.read_bytes(), out.name)
    assert parsed.doc_number == "绥政函〔2024〕17号"
    assert [p.problem for p in parsed.problems] == [
        "教育专网建设进度缓慢",
        "安防人员专业知识与风险防控能力不足",
    ]
    assert [s.title for s in parsed.sections] == ["教育优先发展方面", "校园安全方面"]
    run(*report_args(ledger, tmp_path / "again.docx", "--user", "suibin", "--date", "2024-06-01"))
    second = OfficialDocument.objects.get(version=2)
    assert second.doc_number == "绥政函〔2024〕17号"  # a new version keeps its 文号
    assert second.created_by is not None and second.created_by.username == "suibin"
    assert AuditEvent.objects.filter(action="document_generate").count() == 2


def test_report_refuses_what_the_user_may_not_do(ledger: Any, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "x.docx"
    err = fails(capsys, *report_args(ledger, out, "--user", "luobei"))
    assert err.strip() == "错误：用户“luobei”无权生成绥滨县的此类公文"
    run(*report_args(ledger, out, "--doc-number", "绥政函〔2024〕3号", "--date", "2024-05-28"))
    capsys.readouterr()
    err = fails(
        capsys,
        "report",
        "--round",
        str(ledger.round.pk),
        "--region",
        "230421",
        "--kind",
        "rectification",
        "--doc-number",
        "绥政函〔2024〕3号",
        "--date",
        "2024-05-28",
        "-o",
        str(out),
    )
    assert "文号“绥政函〔2024〕3号”已被《绥滨县人民政府关于" in err
    err = fails(capsys, *report_args(ledger, out, "--date", "28/05/2024"))
    assert "日期“28/05/2024”无效" in err
    assert OfficialDocument.objects.count() == 1


def test_a_pdf_without_libreoffice_is_a_one_line_error(
    ledger: Any, tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("dudao.writers.libreoffice_path", lambda: None)
    out = tmp_path / "report.pdf"
    err = fails(capsys, *report_args(ledger, out))
    assert err.strip() == "错误：本机未安装 LibreOffice，无法生成 PDF，请改为输出 .docx 文件"
    assert not out.exists() and not OfficialDocument.objects.exists()


def test_the_feedback_and_summary_kinds(ledger: Any, tmp_path: Path, capsys: Any) -> None:
    base = ["report", "--round", str(ledger.round.pk), "--user", "hegang"]
    run(*base, "--region", "230422", "--kind", "feedback", "-o", str(tmp_path / "f.docx"))
    run(*base, "--region", "230400", "--kind", "summary", "-o", str(tmp_path / "s.docx"))
    out = capsys.readouterr().out
    assert "鹤教督函" in out
    assert {d.kind for d in OfficialDocument.objects.all()} == {"feedback", "summary"}


def _export(ledger: Any, out: Path, *extra: str) -> None:
    run(
        "ledger",
        "export",
        "--round",
        str(ledger.round.pk),
        "--region",
        "230400",
        "--format",
        "xlsx",
        "-o",
        str(out),
        *extra,
    )


def test_ledger_export_as_xlsx(ledger: Any, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "台账.xlsx"
    _export(ledger, out)
    assert "已导出 4 项" in capsys.readouterr().err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "萝北县", "绥滨县"]
    err = fails(capsys, "ledger", "export", "--region", "230400", "--format", "xlsx")
    assert "请用 -o 指定文件" in err


def test_ledger_import_dry_run_then_apply(ledger: Any, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "台账.xlsx"
    _export(ledger, out)
    run("ledger", "import", str(out), "--user", "hegang")
    assert "没有需要更新的内容" in capsys.readouterr().out
    book = openpyxl.load_workbook(out)
    sheet = book["绥滨县"]
    sheet["J3"] = "已完成。"
    sheet["G3"] = "王建国"
    buffer = io.BytesIO()
    book.save(buffer)
    out.write_bytes(buffer.getvalue())
    item = Item.objects.get(pk=sheet["O3"].value)
    run("ledger", "import", str(out), "--dry-run", "--user", "hegang")
    printed = capsys.readouterr().out
    assert "将修改 1 项" in printed and "责任人、整改情况" in printed and "试运行" in printed
    assert Item.objects.get(pk=item.pk).outcome == ""
    run("ledger", "import", str(out), "--user", "hegang")
    assert "已修改 1 项" in capsys.readouterr().out
    item.refresh_from_db()
    assert (item.outcome, item.responsible_person) == ("已完成。", "王建国")


def test_ledger_import_errors_are_listed_and_nothing_is_written(
    ledger: Any, tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "台账.xlsx"
    _export(ledger, out)
    book = openpyxl.load_workbook(out)
    book["绥滨县"]["J3"] = "已完成。"
    book["绥滨县"]["H4"] = "下个月"
    buffer = io.BytesIO()
    book.save(buffer)
    out.write_bytes(buffer.getvalue())
    capsys.readouterr()
    err = fails(capsys, "ledger", "import", str(out), "--user", "hegang")
    assert "工作表“绥滨县”第4行「整改时限」：无法识别的日期“下个月”" in err
    assert "错误：文件中有 1 处错误，未导入任何内容" in err
    assert not Item.objects.exclude(outcome="").exists()
    bad = tmp_path / "old.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    assert "旧版 Excel 97-2003" in fails(capsys, "ledger", "import", str(bad), "--user", "hegang")
    assert "用户“ghost”不存在" in fails(capsys, "ledger", "import", str(out), "--user", "ghost")


def test_a_summary_of_a_county_is_refused(ledger: Any, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "s.docx"
    base = ["report", "--round", str(ledger.round.pk), "--user", "hegang"]
    err = fails(capsys, *base, "--region", "230422", "--kind", "summary", "-o", str(out))
    assert err.strip() == "错误：绥滨县没有下级地区，不能生成汇总报告；请为绥滨县生成整改通知。"
    assert not out.exists() and not OfficialDocument.objects.exists()


def test_the_next_steps_come_from_a_closing_file(ledger: Any, tmp_path: Path, capsys: Any) -> None:
    from docx import Document

    closing = tmp_path / "下一步.txt"
    closing.write_text("持续巩固整改成果。\n建立长效机制。\n", encoding="utf-8")
    out = tmp_path / "report.docx"
    run(*report_args(ledger, out, "--closing-file", str(closing)))
    lines = [p.text for p in Document(str(out)).paragraphs]
    heading = next(n for n, t in enumerate(lines) if t.endswith("、下一步打算"))
    assert lines[heading + 1 : heading + 4] == [
        "持续巩固整改成果。",
        "建立长效机制。",
        "特此函告。",
    ]
    bad = tmp_path / "gbk.txt"
    bad.write_bytes("下一步".encode("gbk"))
    err = fails(capsys, *report_args(ledger, tmp_path / "r2.docx", "--closing-file", str(bad)))
    # the pre-generation warnings (提示：…) come first; the refusal is the last line
    assert err.strip().splitlines()[-1] == f"错误：“{bad}”不是 UTF-8 编码的文本文件"
    err = fails(
        capsys, *report_args(ledger, tmp_path / "r3.docx", "--closing-file", "/nonexistent")
    )
    assert err.strip().splitlines()[-1] == "错误：无法读取文件：/nonexistent"


def test_contact_phone_and_copy_to_print_the_note_and_the_copy_line(
    ledger: Any, tmp_path: Path, capsys: Any
) -> None:
    from docx import Document

    out = tmp_path / "report.docx"
    extra = ["--contact", "王建国", "--phone", "0468-6121234"]
    extra += ["--copy-to", "鹤岗市教育局", "--copy-to", " 鹤岗市财政局 "]
    run(*report_args(ledger, out, *extra))
    printed = capsys.readouterr().out.splitlines()
    assert printed[1:] == [
        "附注：（联系人：王建国，电话：0468-6121234）",
        "抄送：鹤岗市教育局、鹤岗市财政局",
    ]
    lines = [p.text for p in Document(str(out)).paragraphs]
    date = next(n for n, t in enumerate(lines) if t.endswith("日") and "年" in t and len(t) < 12)
    # 附注 one line under the date, 抄送 last
    assert lines[date + 1 :] == [
        "",
        "（联系人：王建国，电话：0468-6121234）",
        "",
        "抄送：鹤岗市教育局、鹤岗市财政局。",
    ]
    # The office remembers them: the next report without the flags prints them again;
    # an empty value clears one.
    again = tmp_path / "again.docx"
    run(*report_args(ledger, again, "--phone", ""))
    printed = capsys.readouterr().out.splitlines()
    assert printed[1:] == ["附注：（联系人：王建国）", "抄送：鹤岗市教育局、鹤岗市财政局"]
    texts = [p.text for p in Document(str(again)).paragraphs]
    assert "（联系人：王建国）" in texts and "抄送：鹤岗市教育局、鹤岗市财政局。" in texts


def test_a_note_longer_than_the_page_allows_is_refused(
    ledger: Any, tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "report.docx"
    err = fails(capsys, *report_args(ledger, out, "--phone", "1" * 31))
    assert err.strip().splitlines()[-1] == "错误：联系电话不能超过 30 个字（现有 31 个）"
    organs = [a for n in range(20) for a in ("--copy-to", f"鹤岗市第{n}中学教育发展研究中心")]
    err = fails(capsys, *report_args(ledger, out, *organs))
    assert err.strip().splitlines()[-1].startswith("错误：抄送不能超过 200 个字")
    assert not out.exists() and not OfficialDocument.objects.exists()
