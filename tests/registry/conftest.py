"""Registry fixtures: a real store (SQLite file; PostgreSQL with the server fixture), options."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from registry.codec import EbrimObjectCodec
from registry.services import RegistryOptions, feed_patient
from registry.storage import SqlRegistryStore, create_registry_engine
from schemas.model import Timestamp
from tests.support.registry_metadata import (
    NIST,
    NIST_PATIENT,
    OTHER_NIST_PATIENT,
    MetadataFactory,
)


class ManualClock:
    """The registry's clock in tests: it moves only when told to."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> Timestamp:
        return Timestamp.of(self.moment)

    def advance(self, seconds: int = 1) -> None:
        self.moment += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2024, 6, 12, 10, 30, tzinfo=UTC))


@pytest.fixture
def options(clock: ManualClock) -> RegistryOptions:
    return RegistryOptions(clock=clock, max_results=50)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty registry database: an SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'registry.sqlite'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(database_url: str) -> Iterator[SqlRegistryStore]:
    engine = create_registry_engine(database_url)
    registry_store = SqlRegistryStore(engine, EbrimObjectCodec())
    registry_store.create_schema()
    yield registry_store
    engine.dispose()


@pytest.fixture
def factory() -> MetadataFactory:
    """Norwegian metadata for a synthetic fødselsnummer (known without a feed)."""
    return MetadataFactory()


@pytest.fixture
def nist(store: SqlRegistryStore, options: RegistryOptions) -> MetadataFactory:
    """NIST-flavoured metadata for SELF-5, fed to the registry (as test 15817 does)."""
    feed_patient(store, NIST_PATIENT, options=options)
    feed_patient(store, OTHER_NIST_PATIENT, options=options)
    return MetadataFactory(patient=NIST_PATIENT, flavour=NIST)
