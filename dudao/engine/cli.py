"""`dudao synth` and `dudao evaluate` (pure commands: no Django, fast start)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, NoReturn, cast

from tqdm import tqdm

from dudao.engine.errors import EngineError
from dudao.engine.evaluation import Evaluation, evaluate
from dudao.engine.indicators import LEVEL_NAMES
from dudao.engine.output import FORMATS, Format, write
from dudao.engine.sheet import CLI_MAX_BYTES, CLI_MAX_ROWS, read_sheet, too_large
from dudao.engine.tables import (
    CountyTable,
    Progress,
    read_counties,
    read_schools,
    region_prefix,
)

MAX_WARNINGS = 20


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise EngineError(f"参数错误：{message}（用 --help 查看用法）")


def _fail(error: EngineError) -> int:
    sys.stderr.write(f"错误：{error.message}\n")
    return 2


def _read(path: str) -> bytes:
    try:
        if message := too_large(Path(path).stat().st_size, CLI_MAX_BYTES):
            raise EngineError(message)
        return Path(path).read_bytes()
    except OSError:
        raise EngineError(f"无法读取文件“{path}”，请检查路径。") from None


def _progress(desc: str) -> tuple[Progress, Callable[[], None]]:
    # tqdm disables itself when stderr is not a terminal, so pipes and tests stay clean.
    bar = tqdm(total=1, desc=desc, file=sys.stderr, disable=None, leave=False)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return update, bar.close


def _years(text: str) -> range:
    first, _, last = text.partition("-")
    try:
        start, end = int(first), int(last or first)
    except ValueError:
        raise EngineError(f"年度“{text}”应为 2023 或 2022-2024 的形式。") from None
    if end < start:
        raise EngineError(f"年度范围“{text}”的结束年份早于开始年份。")
    return range(start, end + 1)


def synth_main(argv: Sequence[str]) -> int:
    from dudao.engine.hegang import hegang_demo  # not on `dudao evaluate`'s path
    from dudao.engine.synth import synth

    parser = _Parser(prog="dudao synth", description="生成模拟的学校和区县指标数据")
    parser.add_argument("--counties", type=int, default=2850, help="区县数")
    parser.add_argument("--schools", type=int, default=210000, help="学校数")
    parser.add_argument("--years", default="2023", help="年度，如 2023 或 2022-2024")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hegang", action="store_true", help="生成鹤岗市八个县区的演示数据")
    parser.add_argument("-o", "--output", required=True, help="输出目录")
    try:
        args = parser.parse_args(list(argv))
        years = _years(args.years)
        if args.hegang:
            files = hegang_demo(years)
        else:
            try:
                files = synth(args.counties, args.schools, years, args.seed)
            except ValueError:
                raise EngineError(
                    "区县数应在31（每省一个）到10万之间，学校数不少于区县数。"
                ) from None
        out = Path(args.output)
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (out / name).write_bytes(data)
            sys.stdout.write(f"已写入 {out / name}\n")
    except EngineError as error:
        return _fail(error)
    return 0


def _warn(path: str, table: CountyTable) -> None:
    """Cells accepted but worth a look (a rate of 0.92 where 92 was meant), on stderr."""
    for warning in table.warnings[:MAX_WARNINGS]:
        sys.stderr.write(f"提示：{warning}\n")
    if table.total_warnings > MAX_WARNINGS:
        sys.stderr.write(
            f"提示：{path}共有{table.total_warnings}处需要核实的数据，仅列出前{MAX_WARNINGS}处\n"
        )


def _names(path: str | None) -> dict[str, str]:
    if path is None:
        return {}
    frame = read_sheet(_read(path), path, max_rows=CLI_MAX_ROWS)
    if not {"行政区划代码", "名称"} <= set(frame.columns):
        raise EngineError("行政区划文件应包含“行政区划代码”和“名称”两列。")
    return dict(zip(frame["行政区划代码"].to_list(), frame["名称"].to_list(), strict=True))


def _text(ev: Evaluation) -> str:
    lines: list[str] = []
    for c in ev.counties():
        lines.append(f"{c.code} {c.name}（{c.year}年度）")
        for lv in c.levels:
            if not lv.evaluable:
                lines.append(f"  {LEVEL_NAMES[lv.level]}：无法评价，{lv.reason}")
        for school in c.excluded:
            lines.append(f"  不纳入评估：{school.name}（{school.reason}）")
        for i, f in enumerate(c.findings, start=1):
            lines.append(f"  {i}. [{f.dimension}] {f.statement}")
        for f in c.risks:
            lines.append(f"  · {f.statement}")
        if not c.findings:
            lines.append("  未发现不达标指标")
    return "\n".join(lines) + "\n"


def _evaluation(args: argparse.Namespace) -> Evaluation:
    """Read the files and evaluate. The tables are dropped when this returns: the
    evaluation keeps what the output needs, and at ten times national scale the school
    table alone would hold hundreds of MB while the results are written."""
    update, close = _progress("读取学校数据")
    try:
        schools = read_schools(
            _read(args.schools),
            args.schools,
            year=args.year,
            progress=update,
            max_rows=CLI_MAX_ROWS,
        )
    finally:
        close()
    counties: CountyTable | None = None
    for path in args.counties or ():
        table = read_counties(_read(path), path, max_rows=CLI_MAX_ROWS)
        _warn(path, table)
        counties = table if counties is None else counties.merge(table)
    names = _names(args.regions)
    if args.region:
        prefix = region_prefix(args.region)
        schools = schools.within(args.region)
        counties = counties.within(args.region) if counties is not None else None
        names = {c: n for c, n in names.items() if c.startswith(prefix)}
    # The evaluation needs the units and the exclusions, not the frame of schools: at ten
    # times national scale that is ~400 MB not to hold while the arrays are computed.
    schools = replace(schools, schools=schools.schools.clear())
    overrides = None
    if args.thresholds:
        try:
            overrides = json.loads(_read(args.thresholds))
        except json.JSONDecodeError:
            raise EngineError("阈值文件不是有效的 JSON。") from None
    return evaluate(
        schools,
        counties,
        year=args.year,
        thresholds=overrides,
        county_names=names,
        high_myopia=args.high_myopia,
    )


def evaluate_main(argv: Sequence[str]) -> int:
    parser = _Parser(prog="dudao evaluate", description="按指标体系评价学校和区县数据")
    parser.add_argument("--schools", required=True, help="学校数据文件（.csv 或 .xlsx）")
    parser.add_argument(
        "--counties", nargs="+", help="区县数据文件，可多个（含上一年度以计算近视率下降）"
    )
    parser.add_argument("--year", type=int, required=True, help="评价年度")
    parser.add_argument("--region", help="只评价该行政区划（6位代码：省 230000、市 230400 或县）")
    parser.add_argument("--regions", help="行政区划名称文件（regions.csv）")
    parser.add_argument("--thresholds", help="阈值覆盖文件（JSON：指标阈值键 → 数值）")
    parser.add_argument(
        "--high-myopia", action="store_true", help="近视高发省份（下降标准 1 个百分点）"
    )
    parser.add_argument("--json", action="store_true", help="输出 JSON（紧凑，等同 --format json）")
    parser.add_argument(
        "--format",
        choices=("text", *FORMATS),
        help="输出格式：text（默认）、json、jsonl（每行一个区县学段）、pretty（缩进 JSON）、"
        "parquet、csv（每行一个指标）",
    )
    parser.add_argument("-o", "--output", help="输出文件（默认标准输出）")
    try:
        args = parser.parse_args(list(argv))
        ev = _evaluation(args)
    except EngineError as error:
        return _fail(error)
    fmt = args.format or ("json" if args.json else "text")
    try:
        if args.output:
            with Path(args.output).open("wb") as fh:
                _write(ev, fh, fmt)
        else:
            sys.stdout.flush()
            _write(ev, sys.stdout.buffer, fmt)
            sys.stdout.buffer.flush()
    except OSError as exc:
        return _fail(EngineError(f"无法写入输出（{exc.strerror or exc}）。"))
    return 0


def _write(ev: Evaluation, out: IO[bytes], fmt: str) -> None:
    if fmt == "text":
        out.write(_text(ev).encode())
    else:
        write(ev, out, cast(Format, fmt))
