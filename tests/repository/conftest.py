"""Every repository test leaves no database connection open behind it; `registry` is a fake
registry service on loopback, for the tests that register."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fake_registry import FakeRegistry
from tests.support.repository import dispose_runtimes


@pytest.fixture(autouse=True)
def _close_database_connections() -> Iterator[None]:
    yield
    dispose_runtimes()


@pytest.fixture
def registry() -> Iterator[FakeRegistry]:
    fake = FakeRegistry().start()
    try:
        yield fake
    finally:
        fake.stop()
