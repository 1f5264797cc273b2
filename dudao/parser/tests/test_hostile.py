"""Hostile files against the parser: each is refused with a Chinese message naming the limit
(or read correctly), in bounded memory and time; fuzzed bytes raise nothing but ParseError."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dudao.lib import hostile, sandbox
from dudao.parser import ParseError, extract_text, parse_text
from dudao.parser.extract import MAX_CHARS, read_text
from dudao.parser.pdf import MAX_PAGES

CORPUS = Path(__file__).parent / "corpus"
DOCX = (CORPUS / "suibin.docx").read_bytes()
TXT = (CORPUS / "suibin-2024-17.txt").read_bytes()


def refused(data: bytes, name: str) -> str:
    with pytest.raises(ParseError) as caught:
        extract_text(data, name)
    return caught.value.message


def test_a_docx_that_inflates_to_a_gigabyte_is_refused_before_it_is_inflated() -> None:
    bomb = hostile.zip_bomb_docx(1200 << 20)
    assert len(bomb) < 2 << 20
    message = refused(bomb, "bomb.docx")
    assert "1200 MB" in message and "上限（120 MB）" in message and "压缩炸弹" in message


def test_a_docx_that_inflates_past_what_it_declares_is_refused_as_damaged() -> None:
    message = refused(hostile.zip_bomb_docx(64 << 20, declared=1000), "lying.docx")
    assert "损坏" in message


def test_a_docx_with_a_corrupt_deflate_stream_is_refused_as_damaged() -> None:
    message = refused(hostile.corrupt_deflate(DOCX, "word/document.xml"), "bad.docx")
    assert "损坏" in message


def test_a_zip_of_too_many_members_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("word/document.xml", "<w:document/>")
        for n in range(2001):
            package.writestr(f"x/{n}", "")
    assert "上限（2000个）" in refused(out.getvalue(), "many.docx")


def test_a_5000_page_pdf_is_refused_at_the_page_limit() -> None:
    message = refused(hostile.many_pages_pdf(5000), "long.pdf")
    assert f"超过{MAX_PAGES}页" in message


def test_a_pdf_within_the_page_limit_is_read() -> None:
    text = extract_text(hostile.many_pages_pdf(12), "short.pdf")
    assert text.count("Rectification report page text") == 12


def test_text_beyond_the_character_limit_is_refused() -> None:
    message = refused("整改".encode() * (MAX_CHARS // 2 + 1), "long.txt")
    assert f"上限（{MAX_CHARS}字）" in message


def test_characters_xml_cannot_hold_never_leave_the_reader() -> None:
    text = extract_text(TXT.replace("整改情况".encode(), "整改\x01情况\x0b".encode(), 3), "a.txt")
    assert "\x01" not in text and "\x0b" not in text and "整改情况" in text


def test_a_reader_that_takes_too_much_memory_is_stopped_in_its_child() -> None:
    with pytest.raises(sandbox.LimitExceeded) as caught:
        sandbox.run(_allocate, 4 << 30, memory_mb=512)
    assert caught.value.kind == "memory" and "内存上限（512 MB）" in caught.value.message


def test_a_reader_that_runs_too_long_is_stopped_in_its_child() -> None:
    with pytest.raises(sandbox.LimitExceeded) as caught:
        sandbox.run(_spin, seconds=1)
    assert caught.value.kind == "time" and "时间上限（1 秒）" in caught.value.message


def test_a_child_passes_its_cores_error_back() -> None:
    with pytest.raises(ParseError, match="文件为空"):
        sandbox.run(read_text, b"   ", "empty.txt")


def _allocate(size: int) -> int:
    return len(bytearray(size))


def _spin() -> None:
    while True:
        pass


# --- fuzzing: in this process, so that each case costs microseconds, not a fork --------


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_any_bytes_are_read_or_refused_with_a_parse_error(data: bytes) -> None:
    try:
        read_text(data, "file.bin")
    except ParseError as error:
        assert error.message


SMALL_PDF = hostile.many_pages_pdf(2)  # a real report's PDF costs a second per case


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([DOCX, SMALL_PDF]), st.data())
def test_damaged_word_and_pdf_files_are_refused_with_a_parse_error(
    original: bytes, data: st.DataObject
) -> None:
    spoilt = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(spoilt) - 1))
        spoilt[at] = data.draw(st.integers(0, 255))
    try:
        read_text(bytes(spoilt), "report")
    except ParseError as error:
        assert error.message


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=3000))
def test_any_text_parses_without_an_exception(text: str) -> None:
    report = parse_text(text)
    assert report.problem_count >= 0
