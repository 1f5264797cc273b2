"""Repair of extraction damage, line by line, before any structure is read.

Order matters: a document flattened onto one line is split first, then website chrome, page
numbers and running headers go, and only then are broken sentences re-joined (a page footer
sits between the two halves of a sentence broken at a page end).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from dudao.parser.header import is_date_line, is_organ_line
from dudao.parser.heading import MEASURES_LABEL, match_heading, starts_block
from dudao.parser.notice import is_assignment_line
from dudao.parser.structure import wrapper_across
from dudao.parser.text import fold, normalise

_DASH = "-—–―‒﹣−"
# a line that is only a page number: "— 3 —", "-3-", "第3页", "第 3 页 共 9 页", "3/9", "3"
_PAGE_NUMBER = re.compile(
    rf"(?:[{_DASH}]{{1,2}}\s*\d{{1,3}}\s*[{_DASH}]{{1,2}}|一\s*\d{{1,3}}\s*一|\d{{1,3}}"
    r"|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3}"
    r"|(?i:page)\s*\d{1,3}(?:\s*(?i:of)\s*\d{1,3})?)"
)
# the same, inside a flattened line: only with dashes, and standing between spaces
_INLINE_PAGE_NUMBER = re.compile(
    rf"(?:(?<=\s)|^)[{_DASH}]{{1,2}} ?\d{{1,3}} ?[{_DASH}]{{1,2}}(?=\s|$)"
)

# website chrome around a pasted article (government portals share a few templates)
_CHROME_START = re.compile(
    r"(?:当前位置|您当前的位置|您的位置|您现在的位置|当前所在位置|所在位置|首页\s*[>》]|网站首页"
    r"|[【\[]?\s*(?:打印|关闭|打印本页|关闭窗口|收藏|加入收藏|打印此页)\s*[】\]]"
    r"|分享到|扫一扫|上一篇|下一篇|相关链接|相关文章|相关阅读|版权所有|主办单位|承办单位|技术支持"
    r"|网站标识码|ICP|网站地图|联系我们|附件下载|无障碍|返回顶部)"
)
_CHROME_FIELD = re.compile(
    r"[【\[]?\s*(发布日期|发布时间|发文日期|成文日期|更新时间|日期|时间|来源|信息来源|文章来源"
    r"|浏览次数|浏览量|阅读次数|阅读量|点击数|点击量|点击次数|访问量|访问次数|作者|责任编辑|编辑"
    r"|索引号|主题分类|体裁分类|组配分类|公开方式|公开范围|公开时限|信息分类|发文机关|发布机构"
    r"|发文字号|文号|标题|有效性|字体|字号)\s*[】\]]?\s*[:]"
)
_CHROME_ANYWHERE = re.compile(r"浏览次数|点击数|阅读次数|字号\s*[:]?\s*[【\[]?\s*大\s*中\s*小")
# metadata worth keeping from a portal's information table
_HEADER_LINES = 12
HINT_FIELDS = frozenset({"成文日期", "发文字号", "文号", "发文机关", "发布机构", "标题"})

_FINAL = re.compile(r"[。!?;:…][”’」』)]?$")
_OPENERS = "“‘《(〔[「『"
_CLOSERS = "”’》)〕]」』"

# split points of a document flattened onto one line (matched on folded text)
_AFTER_SENTENCE = r"(?:(?<=[。;!?:”])|(?<=\s))"
_FLAT_SPLITS = re.compile(
    rf"{_AFTER_SENTENCE}(?=[一二三四五六七八九十]{{1,3}}、(?![\d一二三四五六七八九十]))"
    r"|(?<![第按据照的])(?=\([一二三四五六七八九十]{1,3}\))"
    rf"|{_AFTER_SENTENCE}(?=\d{{1,2}}[.、](?!\d)|\(\d{{1,2}}\))"
    r"|(?<=\S)(?=" + MEASURES_LABEL.pattern + ")"
)
_DOC_NUMBER_SPAN = re.compile(
    r"[^\s。;:,、府会室局厅部件]{1,8}[〔\[(【]\s*(?:19|20)\d{2}\s*[〕\])】]\s*\d{1,4}\s*号"
)
_MARK_AT_END = re.compile(r"[。!?;\s]([^\s。!?;,，]{2,30}文件)\s*$")


_INDENT = re.compile("[\u3000\u00a0]{2,}")
_TITLE_IN_FLAT = re.compile(r"[^。:]{0,40}关于[^。:]{2,80}?(?:报告|函|通知|意见|通报|请示)")
_CITING = re.compile(r"[(《》“”]")
_DATE_AT_END = re.compile(
    r"(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|[〇○零一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,2}\s*月\s*[一二三四五六七八九十]{1,3}\s*日)"
    r"\s*$"
)
_MARKDOWN = re.compile(r"\A\s*---\s*\n|^#{1,6} \S|^\*\*\S", re.MULTILINE)
_MD_HEADING = re.compile(r"^\s{0,3}(?:#{1,6}|>)\s+")
_MD_EMPHASIS = re.compile(r"(?:\*\*|__)(.+?)(?:\*\*|__)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


@dataclass
class Lines:
    lines: list[str]
    hints: dict[str, str] = field(default_factory=dict)


def clean_lines(text: str) -> Lines:
    result = Lines([])
    # a paragraph indent (two full-width spaces) in the middle of a line is a lost line break
    text = _INDENT.sub("\n", text)
    if _MARKDOWN.search(text[:2000]):
        text = _from_markdown(text, result.hints)
    raw = [line.strip() for line in normalise(text).split("\n")]
    raw = [line for line in raw if line]
    if _looks_flattened(raw):
        raw = [piece for line in raw for piece in _unflatten(line)]
    raw = _without_repeated_run(raw)
    page_numbers = 0
    for line in raw:
        folded = fold(line)
        if len(folded) < 200 and _is_chrome(folded, result.hints):
            continue
        if _PAGE_NUMBER.fullmatch(folded):
            page_numbers += 1
            continue
        result.lines.append(line)
    result.lines = _drop_running_headers(result.lines, page_numbers)
    return result


def _looks_flattened(lines: list[str]) -> bool:
    total = sum(len(line) for line in lines)
    return (len(lines) <= 5 and total >= 200) or any(len(line) > 2500 for line in lines)


def _unflatten(line: str) -> list[str]:
    if len(line) < 200:
        return [line]
    folded = _INLINE_PAGE_NUMBER.sub(lambda m: " " * len(m.group()), fold(line))
    line = "".join(c if f != " " or c.isspace() else " " for c, f in zip(line, folded, strict=True))
    cuts = {m.start() for m in _FLAT_SPLITS.finditer(folded)}
    header_end = 0
    for match in _DOC_NUMBER_SPAN.finditer(folded):
        if _CITING.search(match.group()) or folded[match.end() : match.end() + 1] in ")》":
            continue  # cited inside a sentence: …的函》（国教督办函〔2019〕13号）
        cuts.update((match.start(), match.end()))
        header_end = header_end or match.end()
        # the issuer mark of a glued-on document ("……办公室文件") goes with its number
        mark = _MARK_AT_END.search(folded, 0, match.start())
        if mark:
            cuts.add(mark.start(1))
    # the recipient line ends at the first colon after the document number (or, without
    # one, after the title)
    colon = folded.find(":", header_end, header_end + 200)
    if colon > 0 and not header_end:
        title = _TITLE_IN_FLAT.match(folded, 0, colon)
        colon = colon if title and "。" not in folded[:colon] else -1
        if title:
            cuts.add(title.end())
    if colon > 0:
        cuts.add(colon + 1)
    cuts.update(_sign_off_cuts(folded))
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(line)), len(line)]
    pieces = (line[a:b].strip() for a, b in itertools.pairwise(bounds))
    return [p for p in pieces if p]


def _sign_off_cuts(folded: str) -> list[int]:
    """Where the signature block begins at the end of a flattened line: before the 成文日期
    that ends it, and before the organ that signs between the last sentence and the date."""
    tail_start = max(0, len(folded) - 80)
    date = _DATE_AT_END.search(folded, tail_start)
    if date is None or not is_date_line(date.group()):
        return []
    cuts = [date.start()]
    before = len(folded[: date.start()].rstrip())
    boundary = max(folded.rfind(c, tail_start, before) for c in "。;!? ")
    if boundary >= 0 and is_organ_line(folded[boundary + 1 : before]):
        cuts.append(boundary + 1)
    return cuts


def _from_markdown(text: str, hints: dict[str, str]) -> str:
    """Plain text of a page saved as Markdown: front matter (its title kept as a hint),
    heading marks, emphasis and backslash escapes removed."""
    lines = text.lstrip("\ufeff").split("\n")
    if lines and lines[0].strip() == "---":
        end = next((n for n in range(1, min(len(lines), 40)) if lines[n].strip() == "---"), 0)
        for line in lines[1:end]:
            key, _, value = line.partition(":")
            if key.strip().lower() == "title" and value.strip():
                hints.setdefault("标题", value.strip().strip("\"'"))
        lines = lines[end + 1 :] if end else lines
    out = []
    for line in lines:
        line = _MD_HEADING.sub("", line)
        line = _MD_EMPHASIS.sub(r"\1", line)
        out.append(_MD_ESCAPE.sub(r"\1", line))
    return "\n".join(out)


def _without_repeated_run(lines: list[str]) -> list[str]:
    """A page that stores its letter twice (a summary block, then the article): a run of
    at least three lines repeating the run that opened the document at its title (关于……)
    is dropped, with what follows it that repeats too. A body repeated without its header
    is kept: reports do repeat lines. One pass; each line is compared with at most one
    earlier line."""
    first: dict[str, int] = {}
    kept: list[str] = []
    i = 0
    while i < len(lines):
        j = first.get(lines[i], -1)
        if 0 <= j < _HEADER_LINES and _opens_letter(lines[j]):
            k = 0
            while i + k < len(lines) and j + k < i and lines[i + k] == lines[j + k]:
                k += 1
            if k >= 3 and sum(len(x) for x in lines[i : i + k]) >= 40:
                i += k
                continue
        first.setdefault(lines[i], i)
        kept.append(lines[i])
        i += 1
    return kept


def _opens_letter(line: str) -> bool:
    """A title line (关于……), where a second copy of a letter would begin."""
    folded = fold(line)
    return "关于" in folded and len(folded) <= 80 and match_heading(folded, folded) is None


def _is_chrome(folded: str, hints: dict[str, str]) -> bool:
    if _CHROME_START.match(folded) or _CHROME_ANYWHERE.search(folded):
        return True
    match = _CHROME_FIELD.match(folded)
    if match is None:
        return False
    name = match.group(1)
    if name in HINT_FIELDS:
        value = folded[match.end() :].strip()
        hints.setdefault(name, value.split("  ")[0])
    return True


def _drop_running_headers(lines: list[str], page_numbers: int) -> list[str]:
    """A short line printed on every page is a running header. Drop it, except where it
    first appears among the opening lines: there it is the real issuer or title."""
    threshold = 2 if page_numbers else 3
    counts = Counter(line for line in lines if len(line) <= 40)
    repeated = {
        line
        for line, n in counts.items()
        if n >= threshold
        and not starts_block(fold(line))
        and not _FINAL.search(fold(line))
        and not is_assignment_line(fold(line))
    }
    if not repeated:
        return lines
    seen: set[str] = set()
    kept: list[str] = []
    for i, line in enumerate(lines):
        if line in repeated:
            if line in seen or i >= _HEADER_LINES:
                continue
            seen.add(line)
        kept.append(line)
    return kept


def line_width(lines: list[str]) -> int | None:
    """The width of a full line when the text was reflowed to fixed-width lines (PDF)."""
    if len(lines) < 8:
        return None
    lengths = sorted(len(line) for line in lines)
    width = lengths[int(len(lengths) * 0.9) - 1]
    full = sum(1 for n in lengths if n >= 0.85 * width)
    return width if width <= 80 and full >= 0.4 * len(lengths) else None


def _unbalanced(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth -= 1
    return depth > 0


def join_lines(lines: list[str]) -> list[str]:
    """Re-join sentences broken across lines or pages into paragraphs."""
    width = line_width(lines)
    paragraphs: list[str] = []
    current = ""
    previous = ""
    for line in lines:
        folded = fold(line)
        if current and not _continues(current, previous, folded, width):
            paragraphs.append(current)
            current = ""
        if current:
            glue = " " if current[-1].isascii() and line[0].isascii() else ""
            current += glue + line
        else:
            current = line
        previous = line
    if current:
        paragraphs.append(current)
    return paragraphs


def _continues(paragraph: str, previous: str, folded_next: str, width: int | None) -> bool:
    if starts_block(folded_next):
        return False
    folded_prev = fold(previous)
    if _FINAL.search(folded_prev):
        return False
    folded_par = fold(paragraph)
    heading = match_heading(folded_par, folded_par)
    if heading is None or heading.style == "cn是":
        return True
    # a heading ends at its line end unless it is visibly cut short
    return (
        _unbalanced(folded_par)
        or folded_prev[-1] in ",、(“‘《-"
        or (width is not None and len(previous) >= 0.9 * width)
        # 存在“……”的问 / 题: the next line is only the end of the heading's wrapper
        or wrapper_across(folded_par[heading.rest :].strip(), folded_next) is not None
    )
