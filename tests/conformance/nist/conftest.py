"""Fixtures of the replayer's tests: the testkit, a fake deployment on loopback, a replayer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import pytest

from tests.conformance.nist.client import BearerToken, Endpoints, XdsClient
from tests.conformance.nist.corpus import nist_testkit
from tests.conformance.nist.fake_xds import FakeState, RunningFake, serve_fake
from tests.conformance.nist.memory import RunMemory
from tests.conformance.nist.patients import Patients, PatientSettings
from tests.conformance.nist.prepare import IdAllocator
from tests.conformance.nist.runner import Replayer, locate_test
from tests.conformance.nist.steps import RunSettings, StepRunner

TOKEN = "replay-test-token"
NOW = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def testkit(conformance: Path) -> Path:
    return nist_testkit(conformance)


@pytest.fixture
def fake() -> Iterator[RunningFake]:
    yield from serve_fake(FakeState())


class ReplayerFactory(Protocol):
    def __call__(self, patients: PatientSettings | None = None) -> Replayer: ...


@pytest.fixture
def make_replayer(fake: RunningFake) -> ReplayerFactory:
    """A replayer against the fake, feeding fresh patients unless told otherwise."""

    def make(patients: PatientSettings | None = None) -> Replayer:
        ids = IdAllocator()
        client = XdsClient(
            Endpoints.of(fake.registry, fake.repository), BearerToken(TOKEN), timeout=10
        )
        steps = StepRunner(
            client,
            RunMemory(locate_test),
            Patients(patients or PatientSettings(), ids),
            ids,
            RunSettings(clock=lambda: NOW, sleep=lambda _: None),
        )
        return Replayer(steps)

    return make
