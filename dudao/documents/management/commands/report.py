"""`dudao report --round ID --region CODE --kind rectification|feedback|summary -o FILE`:
generate an official document from the ledger (kept as a new version, like on the page).

`--contact NAME --phone NUMBER` print the 附注 (联系人：…，电话：…) under the date and
`--copy-to ORGAN` (repeatable) the 抄送; like on the page, the issuing office remembers
them for its next letter, and an empty value ("") clears what it remembered."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.http import Http404

from dudao.accounts.access import AccessDenied
from dudao.documents import generation
from dudao.documents.generation import DocumentError
from dudao.documents.models import Kind
from dudao.lib.command import DudaoCommand, acting_user, region_by_code, round_by_id
from dudao.rectification import services


class Command(DudaoCommand):
    help = "Generate a rectification report, feedback letter or summary as .docx or .pdf."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", type=int, required=True, help="evaluation round id")
        parser.add_argument("--region", required=True, help="GB/T 2260 code")
        parser.add_argument(
            "--kind",
            required=True,
            # notice: the 整改通知 to a region below, the same kind of letter as 反馈意见
            choices=[*(k.value for k in generation.GENERATED_KINDS), "notice"],
        )
        parser.add_argument("--doc-number", help="文号 (default: the next free one)")
        parser.add_argument("--date", help="成文日期 YYYY-MM-DD (default: today)")
        parser.add_argument("--issuer", help="发文机关")
        parser.add_argument("--recipient", help="主送机关")
        parser.add_argument("--title", help="标题")
        parser.add_argument("--user", help="generate as this user (access rules apply)")
        parser.add_argument(
            "--closing-file",
            help="UTF-8 text file: the 下一步打算 of a county's report, one paragraph a line",
        )
        parser.add_argument("--contact", help="附注：联系人 (default: the office's last one)")
        parser.add_argument("--phone", help="附注：联系电话 (default: the office's last one)")
        parser.add_argument(
            "--copy-to",
            action="append",
            metavar="ORGAN",
            help="抄送机关; repeat for several (default: the office's last ones)",
        )
        parser.add_argument("-o", "--output", required=True, help="FILE.docx or FILE.pdf")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        suffix = output.suffix.lower()
        if suffix not in (".docx", ".pdf"):
            raise CommandError("输出文件须以 .docx 或 .pdf 结尾")
        if suffix == ".pdf" and not generation.pdf_available():
            raise CommandError("本机未安装 LibreOffice，无法生成 PDF，请改为输出 .docx 文件")
        user = acting_user(options.get("user"))
        rnd = round_by_id(options["round"])
        region = region_by_code(options["region"])
        day = _date(options.get("date"))
        try:
            kind = "feedback" if options["kind"] == "notice" else options["kind"]
            target = generation.document_target(user, rnd, region, kind)
            for warning in generation.document_warnings(target):
                numbers = "、".join(str(i.problem.order) for i in warning.items)
                self.stderr.write(f"提示：{warning.message}（第 {numbers} 号）")
            inputs = generation.document_defaults(target, today=day)
            overrides = {
                name: options[key]
                for name, key in (
                    ("doc_number", "doc_number"),
                    ("issuer", "issuer"),
                    ("recipient", "recipient"),
                    ("title", "title"),
                )
                if options.get(key)
            }
            overrides.update(_note(options))
            if options.get("closing_file"):
                overrides["closing"] = _closing(options["closing_file"], options["kind"])
            inputs = replace(inputs, **overrides)
            document = generation.document_generate(acting_user=user, target=target, inputs=inputs)
            data = (
                generation.document_pdf(document)
                if suffix == ".pdf"
                else generation.document_bytes(document)
            )
        except (Http404, AccessDenied) as exc:
            who = f"用户“{user.username}”" if user else "当前用户"
            raise CommandError(f"{who}无权生成{region.name}的此类公文") from exc
        except DocumentError as exc:
            raise CommandError(exc.message) from exc
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"无法写入文件：{output}") from exc
        self.stdout.write(
            f"已生成 {document.doc_number}《{document.title}》第{document.version}版 → {output}"
        )
        note = generation.contact_note(inputs)
        if note:
            self.stdout.write(f"附注：（{note}）")
        if inputs.copy_to.strip():
            self.stdout.write(f"抄送：{inputs.copy_to.strip()}")


# As long as the page's form allows (dudao/documents/forms.py DocumentForm).
_NOTE_LIMITS = {"contact": ("联系人", 50), "phone": ("联系电话", 30), "copy_to": ("抄送", 200)}


def _note(options: dict[str, Any]) -> dict[str, str]:
    """The 附注 and 抄送 given on the command line (several --copy-to joined with 、)."""
    values: dict[str, str] = {}
    for name in ("contact", "phone"):
        if options.get(name) is not None:
            values[name] = options[name].strip()
    if options.get("copy_to") is not None:
        organs = (organ.strip().strip("、，,。") for organ in options["copy_to"])
        values["copy_to"] = "、".join(organ for organ in organs if organ)
    for name, value in values.items():
        label, limit = _NOTE_LIMITS[name]
        if len(value) > limit:
            raise CommandError(f"{label}不能超过 {limit} 个字（现有 {len(value)} 个）")
    return values


def _closing(name: str, kind: str) -> str:
    if kind != Kind.RECTIFICATION_REPORT:
        raise CommandError("--closing-file 只用于整改情况报告（--kind rectification）")
    try:
        return Path(name).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(f"“{name}”不是 UTF-8 编码的文本文件") from exc
    except OSError as exc:
        raise CommandError(f"无法读取文件：{name}") from exc


def _date(text: str | None) -> datetime.date:
    if not text:
        return services.today()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"日期“{text}”无效，请写成 YYYY-MM-DD，如 2024-05-28") from exc
