"""Every repository test leaves no database connection open behind it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.repository import dispose_runtimes


@pytest.fixture(autouse=True)
def _close_database_connections() -> Iterator[None]:
    yield
    dispose_runtimes()
