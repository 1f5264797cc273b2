from __future__ import annotations

from pathlib import Path

import pytest

from dudao.parser import Report, parse_file

CORPUS = Path(__file__).parent / "corpus"
SAMPLE = CORPUS / "suibin-2024-17.txt"


@pytest.fixture(scope="session")
def sample_report() -> Report:
    return parse_file(SAMPLE.read_bytes(), SAMPLE.name)
