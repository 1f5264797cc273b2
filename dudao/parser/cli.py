"""`dudao parse FILE [--json]`: show what the parser reads out of a report."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from dudao.parser.errors import ParseError
from dudao.parser.model import RECTIFICATION_REPORT, Report, report_to_dict
from dudao.parser.parse import parse_file

_KINDS = {RECTIFICATION_REPORT: "整改情况报告"}


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="dudao parse",
        description=(
            "读取整改情况报告、反馈意见（.docx / .pdf / .txt，扫描件经文字识别）"
            "或整改台账（.xlsx / .xls / .csv）"
        ),
    )
    parser.add_argument("file", help="报告文件")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    args = parser.parse_args(list(argv))
    path = Path(args.file)
    try:
        data = path.read_bytes()
        report = parse_file(data, path.name)
    except OSError as exc:
        print(f"错误：无法读取文件 {path}（{exc.strerror or exc}）。", file=sys.stderr)  # noqa: T201
        return 2
    except ParseError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)  # noqa: T201
        return 2
    if args.json:
        text = json.dumps(report_to_dict(report), ensure_ascii=False, indent=1)
    else:
        text = outline(report)
    sys.stdout.write(text + "\n")
    return 0


def outline(report: Report) -> str:
    """A readable Chinese summary: header fields, then sections, problems and facts."""
    out = [
        f"标题：{report.title or '（未读到）'}",
        f"发文机关：{report.issuer or '（未读到）'}　文号：{report.doc_number or '（未读到）'}",
        f"主送：{report.recipient or '（未读到）'}",
        f"成文日期：{report.date.isoformat() if report.date else '（未读到）'}",
        f"类型：{_KINDS.get(report.kind, '反馈意见（只有问题）')}　问题数：{report.problem_count}",
    ]
    for section in report.sections:
        out.append("")
        out.append(f"{section.label}{section.title}" or "（未分节）")
        for problem in section.problems:
            out.append(f"  {problem.number}. {problem.label} {problem.problem}")
            if problem.measures:
                first = problem.measures.replace("\n", " ")
                out.append(f"      整改：{first[:60]}{'…' if len(first) > 60 else ''}")
            if problem.facts:
                facts = "；".join(
                    f"{f.text}（{f.value.normalize():f} {f.unit}）" for f in problem.facts
                )
                out.append(f"      数据：{facts}")
    for doc in report.trailing_documents:
        out.append("")
        out.append(f"附带的另一份文件：{doc.issuer} {doc.doc_number} {doc.title}".rstrip())
    if report.warnings:
        out.append("")
        out.append("提示：")
        out.extend(f"  - {w}" for w in report.warnings)
    return "\n".join(out)
