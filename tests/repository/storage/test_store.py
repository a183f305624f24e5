"""The repository database on SQLite and PostgreSQL: staging, the outbox's conditional state
changes (claims, fencing by attempt, abandonment only when nothing may have been delivered) and
the reconciler's queries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from repository.model import (
    ContentDigest,
    DocumentState,
    NewDocument,
    NewRegistration,
    RegistrationMode,
    RegistrationState,
)
from repository.services.ports import UniqueIdTaken
from repository.storage.store import SqlRepositoryStore
from repository.storage.tables import registrations
from schemas.errors import RegistryError, Severity
from servicekit.database import create_database_engine
from servicekit.runtime import migrations_of
from tests.support.repository import registered

T0 = datetime(2025, 2, 6, 14, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'repository.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_url")
    migrations_of("repository").upgrade(url)
    engine = create_database_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def store(engine: Engine) -> SqlRepositoryStore:
    return SqlRepositoryStore(engine)


def new_document(unique_id: str, key: str, content: bytes = b"x") -> NewDocument:
    return NewDocument(
        unique_id=unique_id,
        storage_key=key,
        digest=ContentDigest(size=len(content), sha1="a" * 40, sha256="b" * 64),
        mime_type="application/pdf",
    )


def stage(
    store: SqlRepositoryStore,
    registration_id: str,
    *documents: NewDocument,
    mode: RegistrationMode = RegistrationMode.WAIT,
    deadline: datetime | None = T0 + timedelta(seconds=30),
) -> None:
    store.stage(
        NewRegistration(
            id=registration_id,
            submission_set_unique_id="2.999.47.1",
            request=b"<lcm:SubmitObjectsRequest/>",
            mode=mode,
            deadline=deadline,
        ),
        documents,
        repository_unique_id="2.999.1",
        now=T0,
    )


def test_staging_writes_the_outbox_row_and_staged_documents(store: SqlRepositoryStore) -> None:
    stage(store, "r1", new_document("2.999.47.101", "aa/00/one"))
    registration = store.registration("r1")
    assert registration is not None
    assert (registration.state, registration.attempts, registration.in_doubt) == (
        RegistrationState.PENDING,
        0,
        False,
    )
    assert registration.next_attempt_at == T0
    assert registration.deadline == T0 + timedelta(seconds=30)
    assert registration.request == b"<lcm:SubmitObjectsRequest/>"
    (document,) = store.documents_of("r1")
    assert document.state is DocumentState.STAGED
    assert document.created_at.tzinfo is not None
    assert registered(store, "2.999.47.101") is None
    assert set(store.live_documents(["2.999.47.101", "2.999.47.999"])) == {"2.999.47.101"}


def test_a_unique_id_is_held_by_one_live_document(store: SqlRepositoryStore) -> None:
    stage(store, "r1", new_document("2.999.47.101", "aa/00/one"))
    with pytest.raises(UniqueIdTaken) as taken:
        stage(store, "r2", new_document("2.999.47.101", "aa/00/two"))
    assert taken.value.unique_ids == ("2.999.47.101",)
    assert store.registration("r2") is None  # one transaction: no outbox row either
    assert store.finish("r1", outcome=RegistrationState.ABANDONED, now=T0)
    stage(store, "r3", new_document("2.999.47.101", "aa/00/three"))  # failed ones hold nothing


def test_a_claim_is_exclusive_and_its_attempt_fences_the_outcome(
    store: SqlRepositoryStore,
) -> None:
    stage(store, "r1", new_document("2.999.47.101", "aa/00/one"))
    assert store.claim("r1", now=T0 - timedelta(seconds=1), lease_until=T0 + LEASE) is None
    attempt = store.claim("r1", now=T0, lease_until=T0 + LEASE)
    assert attempt == 1
    assert store.claim("r1", now=T0, lease_until=T0 + LEASE) is None
    assert not store.finish("r1", outcome=RegistrationState.REGISTERED, now=T0, attempt=2)
    warning = RegistryError(code="XDSExtraMetadataNotSaved", context="c", severity=Severity.WARNING)
    assert store.finish(
        "r1", outcome=RegistrationState.REGISTERED, now=T0, attempt=1, errors=[warning]
    )
    registration = store.registration("r1")
    assert registration is not None
    assert registration.state is RegistrationState.REGISTERED
    assert registration.registry_errors == (warning,)
    assert registration.finished_at == T0
    assert registered(store, "2.999.47.101") is not None
    assert not store.finish("r1", outcome=RegistrationState.REJECTED, now=T0, attempt=1)


def test_unfinished_among_names_the_pending_and_sending_ones(store: SqlRepositoryStore) -> None:
    for registration_id, unique_id in (("r1", "101"), ("r2", "102"), ("r3", "103")):
        stage(store, registration_id, new_document(f"2.999.47.{unique_id}", f"aa/00/{unique_id}"))
    assert store.claim("r2", now=T0, lease_until=T0 + LEASE) == 1
    assert store.finish("r3", outcome=RegistrationState.ABANDONED, now=T0)
    assert store.unfinished_among(["r1", "r2", "r3", "unknown"]) == {"r1", "r2"}
    assert store.unfinished_among([]) == set()


def test_a_retry_keeps_the_doubt_of_earlier_attempts(store: SqlRepositoryStore) -> None:
    stage(store, "r1")
    later = T0 + timedelta(seconds=2)
    attempt = store.claim("r1", now=T0, lease_until=T0 + LEASE)
    assert attempt is not None
    assert store.retry_later(
        "r1", attempt=attempt, next_attempt_at=later, error="timed out", in_doubt=True, now=T0
    )
    attempt = store.claim("r1", now=later, lease_until=later + LEASE)
    assert attempt == 2
    assert store.retry_later(
        "r1", attempt=2, next_attempt_at=later, error="refused", in_doubt=False, now=later
    )
    registration = store.registration("r1")
    assert registration is not None
    assert registration.in_doubt
    assert registration.last_error == "refused"
    assert not store.finish("r1", outcome=RegistrationState.ABANDONED, now=later)


def test_only_an_undelivered_pending_registration_is_abandoned(store: SqlRepositoryStore) -> None:
    stage(store, "r1", new_document("2.999.47.101", "aa/00/one"))
    store.claim("r1", now=T0, lease_until=T0 + LEASE)
    assert not store.finish("r1", outcome=RegistrationState.ABANDONED, now=T0)  # sending
    stage(store, "r2", new_document("2.999.47.102", "aa/00/two"))
    assert store.finish("r2", outcome=RegistrationState.ABANDONED, now=T0)
    assert [d.state for d in store.documents_of("r2")] == [DocumentState.FAILED]
    assert [d.unique_id for d in store.unpurged_documents(limit=10)] == ["2.999.47.102"]
    store.mark_purged(["aa/00/two"], now=T0)
    assert store.unpurged_documents(limit=10) == []


def test_an_expired_lease_is_released_in_doubt(store: SqlRepositoryStore) -> None:
    stage(store, "r1")
    store.claim("r1", now=T0, lease_until=T0 + LEASE)
    assert not store.release_expired_lease("r1", now=T0 + LEASE - timedelta(seconds=1))
    assert store.registrations_in(RegistrationState.SENDING, before=T0, limit=5) == []
    expired = store.registrations_in(RegistrationState.SENDING, before=T0 + 2 * LEASE, limit=5)
    assert [r.id for r in expired] == ["r1"]
    assert store.release_expired_lease("r1", now=T0 + 2 * LEASE)
    registration = store.registration("r1")
    assert registration is not None
    assert (registration.state, registration.in_doubt) == (RegistrationState.PENDING, True)


def test_overdue_waits_are_the_undelivered_ones_past_their_deadline(
    store: SqlRepositoryStore,
) -> None:
    stage(store, "wait", deadline=T0 + timedelta(seconds=30))
    stage(store, "deferred", mode=RegistrationMode.DEFERRED, deadline=None)
    stage(store, "doubt", deadline=T0 + timedelta(seconds=30))
    attempt = store.claim("doubt", now=T0, lease_until=T0 + LEASE)
    assert attempt is not None
    store.retry_later(
        "doubt", attempt=attempt, next_attempt_at=T0, error="e", in_doubt=True, now=T0
    )
    assert store.overdue_waits(now=T0 + timedelta(seconds=29), limit=5) == []
    overdue = store.overdue_waits(now=T0 + timedelta(seconds=31), limit=5)
    assert [r.id for r in overdue] == ["wait"]
    assert store.postpone_deadline("doubt", now=T0)
    registration = store.registration("doubt")
    assert registration is not None
    assert (registration.mode, registration.deadline) == (RegistrationMode.DEFERRED, None)


def test_stranded_documents_and_settling_them(store: SqlRepositoryStore, engine: Engine) -> None:
    stage(store, "r1", new_document("2.999.47.101", "aa/00/one"))
    stage(store, "r2", new_document("2.999.47.102", "aa/00/two"))
    assert store.stranded_documents(limit=10) == []
    with engine.begin() as connection:  # as if an outcome were recorded without its documents
        connection.execute(
            registrations.update()
            .where(registrations.c.id == "r1")
            .values(state=RegistrationState.REGISTERED.value)
        )
    (stranded,) = store.stranded_documents(limit=10)
    assert stranded.unique_id == "2.999.47.101"
    store.settle_document(stranded.storage_key, DocumentState.REGISTERED, now=T0)
    assert store.stranded_documents(limit=10) == []
    assert registered(store, "2.999.47.101") is not None


def test_documents_by_key_prefix(store: SqlRepositoryStore) -> None:
    stage(
        store,
        "r1",
        new_document("2.999.47.101", "ab/00/one"),
        new_document("2.999.47.102", "ab/ff/two"),
        new_document("2.999.47.103", "ac/00/three"),
        new_document("2.999.47.104", "aa/ff/four"),
    )
    assert sorted(store.documents_by_key("ab/")) == ["ab/00/one", "ab/ff/two"]
    assert sorted(store.documents_by_key("ab/ff/two")) == ["ab/ff/two"]


def test_remove_takes_a_registered_document_out(store: SqlRepositoryStore) -> None:
    stage(store, "r1", new_document("2.999.47.101", "aa/00/one"))
    assert store.remove(["2.999.47.101"], now=T0) == []  # staged is not registered
    attempt = store.claim("r1", now=T0, lease_until=T0 + LEASE)
    store.finish("r1", outcome=RegistrationState.REGISTERED, now=T0, attempt=attempt)
    (removed,) = store.remove(["2.999.47.101"], now=T0)
    assert removed.state is DocumentState.REMOVED
    assert store.registered_documents(["2.999.47.101"]) == {}
    assert store.remove(["2.999.47.101"], now=T0) == []
