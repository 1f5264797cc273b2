"""`dudao import-report FILE --user NAME [--round ID] [--region CODE] [--dry-run] [--json]`:
read a rectification report, feedback letter or notice into the ledger, printing what
changes first. Without --region, the user's own region imports; without --round, the round
whose problems the letter names (among those the region holds items in)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from dudao.accounts import access
from dudao.accounts.models import User
from dudao.documents.importing import ImportPlan, report_import_apply, report_import_preview
from dudao.documents.importing.diff import inline_diff
from dudao.documents.importing.received import (
    dry_run_json,
    importing_region,
    letter_receive,
    letter_round,
    plan_json,
    received_json,
)
from dudao.lib.command import DudaoCommand, acting_user, region_by_code, round_by_id
from dudao.parser import ParseError, Report, parse_file
from dudao.rectification.errors import LedgerError
from dudao.rectification.models import Round
from dudao.regions.models import Region

KIND_LABELS = {"rectification_report": "整改情况报告", "feedback_letter": "反馈意见"}
FIELD_LABELS = {"outcome": "整改情况"}


class Command(DudaoCommand):
    help = "Import a rectification report or feedback letter (.docx, .pdf, .txt) into a round."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the report: .docx, .pdf or .txt")
        parser.add_argument("--round", type=int, help="evaluation round id (default: guessed)")
        parser.add_argument("--region", help="GB/T 2260 code (default: the user's region)")
        parser.add_argument("--user", help="username of the acting user (required)")
        parser.add_argument("--dry-run", action="store_true", help="print the plan only")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--yes", action="store_true", help="accepted for scripts; applying is the default"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = _user(options.get("user"))
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件：{path}") from exc
        region = _region(user, options.get("region"))
        if not access.can_see_region(user, region):
            raise CommandError(f"用户“{user.username}”无权查看地区“{region.name}”")
        rnd = _round(user, region, options.get("round"), data, path.name)
        as_json = options["json"]
        if rnd is None:
            self._receive(user, region, data, path.name, options)
            return
        try:
            plan = report_import_preview(
                acting_user=user, data=data, filename=path.name, rnd=rnd, region=region
            )
            if not as_json:
                self._print_plan(plan)
            if options["dry_run"]:
                if as_json:
                    self.stdout.write(json.dumps(plan_json(plan), ensure_ascii=False))
                else:
                    self.stdout.write("（试运行，未写入任何内容）")
                return
            result = report_import_apply(acting_user=user, plan=plan)
        except LedgerError as exc:
            raise CommandError(exc.message) from exc
        if as_json:
            self.stdout.write(json.dumps(plan_json(plan, result), ensure_ascii=False))
        elif result.changed:
            self.stdout.write(result.summary)

    def _receive(
        self, user: User, region: Region, data: bytes, name: str, options: dict[str, Any]
    ) -> None:
        """No round of the region's names the letter's problems: create its received round."""
        out = self.stdout.write
        if options["dry_run"]:
            report = _parsed(data, name)
            if options["json"]:
                out(json.dumps(dry_run_json(report, region), ensure_ascii=False))
                return
            out(f"未找到对应的评价：将按来文为{region.name}建立收文评价")
            out(f"来文：{report.issuer}　{report.doc_number}　《{report.title}》")
            for p in report.problems:
                out(f"{p.label} {_short(p.problem)}　[新问题]")
            out("（试运行，未写入任何内容）")
            return
        try:
            result = letter_receive(acting_user=user, region=region, data=data, filename=name)
        except LedgerError as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            out(json.dumps(received_json(result), ensure_ascii=False))
            return
        out(
            f"已按来文建立收文评价（编号 {result.plan.rnd.pk}）：{result.plan.rnd.title}，"
            f"新增整改任务 {len(result.items_created)} 项"
        )

    def _print_plan(self, plan: ImportPlan) -> None:
        h = plan.header
        out = self.stdout.write
        out(f"文件：{plan.filename}（SHA-256 {plan.sha256[:16]}…）")
        out(f"类型：{KIND_LABELS.get(plan.kind, plan.kind)}　问题数：{len(plan.entries)}")
        out(f"标题：{h.title or '（未读到）'}")
        out(f"发文机关：{h.issuer or '（未读到）'}　文号：{h.doc_number or '（未读到）'}")
        out(f"评价：{plan.rnd}　报告地区：{plan.region.full_name}（{plan.region.code}）")
        for warning in plan.warnings:
            out(f"提示：{warning}")
        out("")
        for e in plan.entries:
            what = [e.match_label]
            if e.create_problem:
                what.append("新增问题")
            if e.create_item:
                what.append("新增整改任务")
            if e.skipped:
                what.append("不导入：" + e.skipped)
            elif not e.has_changes:
                what.append("无变化")
            out(f"{e.label} {_short(e.statement)}　[{'；'.join(what)}]")
            if plan.duplicate_of is not None:
                continue
            for change in e.changes:
                label = FIELD_LABELS.get(change.field, change.field)
                out(f"    {label}：{_describe(change.before, change.after)}")
        out("")
        out(plan.notice)


def _region(user: User, code: str | None) -> Region:
    if code:
        return region_by_code(code)
    region = importing_region(user)
    if region is None:
        raise CommandError("请用 --region 指定导入到哪个地区")
    return region


def _round(
    user: User, region: Region, round_id: int | None, data: bytes, name: str
) -> Round | None:
    """The round given, or the one the letter's problems name; None: a letter from outside
    Dudao, for which a received round is created."""
    if round_id is not None:
        return round_by_id(round_id)
    try:
        return letter_round(user, region, data, name)
    except LedgerError as exc:
        raise CommandError(exc.message) from exc


def _parsed(data: bytes, name: str) -> Report:
    try:
        return parse_file(data, name)
    except ParseError as exc:
        raise CommandError(exc.message) from exc


def _user(username: str | None) -> User:
    user = acting_user(username)
    if user is None:
        raise CommandError("请用 --user 指定导入人的用户名")
    return user


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(before: str, after: str) -> str:
    """ "（空）→ 填入 312 字", or the changed parts: [-old-]{+new+} within their context."""
    if not before.strip():
        return f"（空）→ 填入 {len(after)} 字"
    parts = []
    for op, text in inline_diff(before, after):
        if op == "del":
            parts.append(f"[-{text}-]")
        elif op == "ins":
            parts.append(f"{{+{text}+}}")
        else:
            parts.append(text)
    return "".join(parts)
