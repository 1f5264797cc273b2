"""The parts of an official document around its body (GB/T 9704-2012): issuer mark, document
number, title, recipient, closing signature and date, and documents glued on after it."""

from __future__ import annotations

import datetime
import itertools
import re
from dataclasses import dataclass

from dudao.lib.zh import format_doc_number, parse_cn_numeral
from dudao.parser.heading import match_heading
from dudao.parser.model import TrailingDocument
from dudao.parser.text import fold, squeeze

# 代字〔年份〕序号号, tolerant of (2024), [2024], 【2024】 and stray spaces; the 代字 never
# contains the issuer's own name, so it stops at 府/会/室/局/厅/部/件
DOC_NUMBER = re.compile(
    r"([^\s。;:,、〔\[(【府会室局厅部件]{1,8}?)\s*[〔\[(【]\s*((?:19|20)\d{2})\s*[〕\])】]\s*(\d{1,4})\s*号"
)
_DOC_LINE_MAX = 16 + 19  # see doc_number_in
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DATE = re.compile(
    r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)
_ORGAN_SUFFIX = (
    r"(?:人民政府|政府|委员会|委|办公室|办公厅|办|局|厅|部|室|处|科|中心|院|学校|大学|学院|会|组"
    r"|党委|党组|街道|镇|乡|单位|部门)"
)
_ORGAN = re.compile(rf"[^\s。;:,，、!?\d]{{2,30}}{_ORGAN_SUFFIX}(?:文件)?")
_RECIPIENT = re.compile(rf".{{1,80}}(?:{_ORGAN_SUFFIX}|同志|领导|各位)\s*:")
_TITLE_END = re.compile(
    r".*(?:函|报告|通知|意见|请示|批复|方案|清单|通报|纪要|说明|决定|情况|解读|台账|一览表|汇总表)"
)
_SIGN_OFF_EXTRA = re.compile(
    r"[(（]此件.{0,12}[)）]|[(（]联系人.*|抄送.*|.{0,40}印发|附件\s*\d*\s*[:：].*"
)


@dataclass(frozen=True)
class Header:
    issuer: str
    doc_number: str
    title: str
    recipient: str
    end: int  # index of the first line after the header


def parse_date(text: str) -> datetime.date | None:
    """成文日期 in Arabic ("2024年5月28日") or Chinese numerals ("二〇二四年五月二十八日")."""
    folded = fold(text)
    try:
        if match := _DATE.search(folded):
            return datetime.date(*(int(g) for g in match.groups()))
        if match := _CN_DATE.search(folded):
            return datetime.date(*(parse_cn_numeral(g) for g in match.groups()))
    except ValueError:
        return None
    return None


def is_date_line(folded: str) -> bool:
    return bool(_DATE.fullmatch(folded.strip()) or _CN_DATE.fullmatch(folded.strip()))


def is_organ_line(folded: str) -> bool:
    return len(folded) <= 40 and _ORGAN.fullmatch(folded.replace(" ", "")) is not None


def doc_number_in(line: str) -> tuple[str, str] | None:
    """(normalised document number, text before it) when the line is mostly a doc number."""
    # At most 16 characters beside a number of at most 19 non-space ones: a longer line (a
    # paragraph) cannot qualify, and is not searched.
    if len(line) > _DOC_LINE_MAX and len("".join(line.split())) > _DOC_LINE_MAX:
        return None
    folded = fold(line)
    match = DOC_NUMBER.search(folded)
    if match is None or len(folded) - (match.end() - match.start()) > 16:
        return None
    code, year, seq = match.groups()
    return format_doc_number(code, int(year), int(seq)), line[: match.start()].strip()


def parse_header(lines: list[str]) -> Header:
    limit = 0
    while limit < min(len(lines), 20):
        folded = fold(lines[limit])
        if len(folded) > 100 or match_heading(folded, folded):
            break
        limit += 1
    issuer_lines: list[str] = []
    doc_number = ""
    title_start = 0
    number_line = -1
    for i in range(limit):
        found = doc_number_in(lines[i])
        if found:
            doc_number, before = found
            issuer_lines = [line for line in lines[:i] if is_organ_line(fold(line))]
            if before and is_organ_line(fold(before)):
                issuer_lines.append(before)
            title_start = i + 1
            first_title = next(
                (n for n in range(i) if "关于" in lines[n] and not is_organ_line(fold(lines[n]))),
                None,
            )
            if first_title is not None and not any(
                is_organ_line(fold(x)) for x in lines[first_title + 1 : i]
            ):
                # a copy without letterhead: the title first, its own number under it
                issuer_lines = [x for x in lines[:first_title] if is_organ_line(fold(x))]
                title_start = first_title
                number_line = i
            break
    recipient = ""
    title_lines: list[str] = []
    end = title_start
    for i in range(title_start, limit):
        folded = fold(lines[i])
        if _RECIPIENT.fullmatch(folded) and "。" not in folded:
            recipient = lines[i].rstrip(":： ")
            title_lines = _without_subtitle(
                [x for n, x in enumerate(lines[title_start:i], title_start) if n != number_line]
            )
            end = i + 1
            break
    if not recipient:
        title_lines, end = _title_without_recipient(lines, title_start, limit)
    title = squeeze("".join(title_lines))
    if not title and "关于" in recipient:
        # title and recipient glued together on one line
        match = _TITLE_END.match(recipient)
        if match:
            title, recipient = squeeze(match.group()), recipient[match.end() :].strip()
    if not doc_number and title_lines and title_start == 0:
        first = title_lines[0]
        if is_organ_line(fold(first)) and len(title_lines) > 1:
            issuer_lines = [first]
            title = squeeze("".join(title_lines[1:]))
    issuer = squeeze("、".join(re.sub(r"文件$", "", s) for s in issuer_lines))
    if not issuer and "关于" in title:
        candidate = title.split("关于", 1)[0]
        if is_organ_line(fold(candidate)):
            issuer = candidate
    return Header(issuer, doc_number, title, squeeze(recipient), end)


def _without_subtitle(lines: list[str]) -> list[str]:
    """Title lines up to a subtitle: a report read to a congress has "——2023年10月25日在…会议上"
    and the speaker ("县审计局局长 李明") under its title, before the recipient."""
    for n, line in enumerate(lines):
        if n and line.lstrip().startswith(("—", "－", "--", "─")):
            return lines[:n]
    return lines


def _title_without_recipient(lines: list[str], start: int, limit: int) -> tuple[list[str], int]:
    """Title lines when there is no recipient: short lines from the first that names the
    document ("关于……的报告") to the one that ends it."""
    for i in range(start, limit):
        folded = fold(lines[i])
        if "关于" in folded or _TITLE_END.fullmatch(folded):
            taken = [lines[i]]
            j = i + 1
            while (
                not _TITLE_END.fullmatch(fold(taken[-1]))
                and j < limit
                and len(lines[j]) <= 40
                and len(taken) < 3
            ):
                taken.append(lines[j])
                j += 1
            head = [line for line in lines[start:i] if is_organ_line(fold(line))]
            return head + taken if head and start == 0 else taken, j
    return [], start


def split_trailing(lines: list[str], body_start: int) -> tuple[int, list[TrailingDocument]]:
    """Where the report ends, and the documents glued on after it."""
    starts: list[int] = []
    i = body_start
    while i < len(lines):
        folded = fold(lines[i])
        nearby = lines[i + 1 : i + 4]
        if len(folded) <= 30 and folded.endswith("文件") and any(map(doc_number_in, nearby)):
            starts.append(i)
            i += 2
            continue
        if doc_number_in(lines[i]) and match_heading(folded, folded) is None:
            previous = fold(lines[i - 1]) if i > body_start else ""
            starts.append(i - 1 if previous and is_organ_line(previous) else i)
            i += 2
            continue
        i += 1
    if not starts:
        return len(lines), []
    bounds = [*starts, len(lines)]
    documents = [_trailing(lines[a:b]) for a, b in itertools.pairwise(bounds)]
    return starts[0], documents


def _trailing(lines: list[str]) -> TrailingDocument:
    issuer = ""
    doc_number = ""
    title_lines: list[str] = []
    for i, line in enumerate(lines):
        found = doc_number_in(line)
        if found:
            doc_number, before = found
            marks = [*lines[:i], before]
            issuer = next((m for m in marks if m and is_organ_line(fold(m))), "")
            for rest in lines[i + 1 : i + 6]:
                folded = fold(rest)
                if is_organ_line(folded) or is_date_line(folded) or len(rest) > 80:
                    break
                title_lines.append(rest)
                if folded.endswith(":") or _TITLE_END.fullmatch(folded):
                    break
            break
    issuer = re.sub(r"文件$", "", issuer.replace(" ", ""))
    return TrailingDocument(issuer, doc_number, squeeze("".join(title_lines)))


def strip_sign_off(lines: list[str]) -> tuple[list[str], datetime.date | None, list[str]]:
    """Drop the closing signature, date and 版记 lines; return the 成文日期 if printed and
    the signing organs (in order) of the signature block just above the date."""
    date: datetime.date | None = None
    signers: list[str] = []
    end = len(lines)
    while end > 0:
        folded = fold(lines[end - 1])
        if is_date_line(folded):
            date = date or parse_date(folded)
            signers = []  # organs below the date belong to the 版记, not the signature
        elif is_organ_line(folded):
            signers.insert(0, re.sub(r"\s+", "", lines[end - 1]))
        elif not _SIGN_OFF_EXTRA.fullmatch(folded):
            break
        end -= 1
    return lines[:end], date, signers
