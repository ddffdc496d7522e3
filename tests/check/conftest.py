from __future__ import annotations

import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture
def corpus() -> Path:
    return CORPUS


@pytest.fixture
def python() -> str:
    return sys.executable
