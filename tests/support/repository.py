"""Building blocks of the repository's tests: settings on a temporary folder, the wired services,
ITI-41 requests from the valid test submission, and a registration queue run by threads.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from repository.model import StoredDocument
from repository.services.ports import RepositoryStore
from repository.settings import RepositorySettings
from repository.state import RepositoryServices
from repository.wiring import build_services
from schemas import vocabulary as v
from schemas.ebrim.provide import RimProvideAndRegister
from schemas.ebrim.rim import RimKind, RimObject, RimObjectList
from schemas.ebrim.submit import RimSubmission
from schemas.model.messages import Document, DocumentContent, DocumentRequest, InlineContent
from servicekit.runtime import ServiceRuntime, create_runtime, migrations_of
from tests.support import submissions as s

FAST_RETRIES = {
    "REGISTRATION_RETRY_FIRST": "0.05",
    "REGISTRATION_RETRY_MAX": "0.2",
    "REGISTRATION_POLL_INTERVAL": "0.02",
    "REGISTRY_CONNECT_TIMEOUT": "2",
    "REGISTRY_READ_TIMEOUT": "5",
}


def repository_settings(
    folder: Path, registry_url: str, variables: Mapping[str, str] | None = None
) -> RepositorySettings:
    """Settings with everything under `folder`, registering at `registry_url`, fast retries."""
    chosen = {**FAST_RETRIES, **(variables or {})}
    environ = {
        "DOKDELING_DATA_DIR": str(folder),
        "DOKDELING_REGISTRY_URL": registry_url,
        **{f"DOKDELING_{name}": value for name, value in chosen.items()},
    }
    return RepositorySettings.from_env(environ)


_runtimes: list[ServiceRuntime] = []


def migrated_runtime(settings: RepositorySettings) -> ServiceRuntime:
    """The repository's runtime on a migrated database; `dispose_runtimes` closes it."""
    migrations_of("repository").upgrade(settings.database_url)
    runtime = create_runtime(
        "repository", database_url=settings.database_url, broker=settings.broker
    )
    _runtimes.append(runtime)
    return runtime


def dispose_runtimes() -> None:
    """Close the database connections of every runtime a test made (tests/repository/conftest)."""
    while _runtimes:
        _runtimes.pop().engine.dispose()


@dataclass
class ThreadQueue:
    """A `RegistrationQueue` whose worker is a timer thread running the registrar in-process."""

    services: RepositoryServices | None = None
    sent: list[str] = field(default_factory=list)

    def enqueue(self, registration_id: str, *, delay: float = 0.0) -> None:
        self.sent.append(registration_id)
        timer = threading.Timer(delay, self._attempt, (registration_id,))
        timer.daemon = True
        timer.start()

    def _attempt(self, registration_id: str) -> None:
        assert self.services is not None
        result = self.services.registrar.attempt(registration_id)
        if result.retry_in is not None:
            self.enqueue(registration_id, delay=result.retry_in)


def threaded_services(settings: RepositorySettings) -> tuple[RepositoryServices, ThreadQueue]:
    """The real services, with registrations attempted by threads instead of Celery."""
    queue = ThreadQueue()
    services = build_services(settings, migrated_runtime(settings), queue=queue)
    queue.services = services
    return services, queue


def _as_provided(entry: RimObject) -> RimObject:
    """A DocumentEntry as a source sends it: no hash, size or repositoryUniqueId."""
    for name in (v.SLOT_HASH, v.SLOT_SIZE, v.SLOT_REPOSITORY_UNIQUE_ID):
        entry = s.without_slot(entry, name)
    return entry


def _symbolic_ids(objects: RimObjectList) -> dict[str, str]:
    """Symbolic ids as sources use them: SubmissionSet01, Document01…, Association01…"""
    names: dict[str, str] = {}
    counts: dict[RimKind, int] = {}
    prefixes = {
        RimKind.REGISTRY_PACKAGE: "SubmissionSet",
        RimKind.EXTRINSIC_OBJECT: "Document",
        RimKind.ASSOCIATION: "Association",
    }
    for obj in objects.objects:
        counts[obj.kind] = counts.get(obj.kind, 0) + 1
        names[obj.id] = f"{prefixes[obj.kind]}{counts[obj.kind]:02}"
    return names


def _renamed(obj: RimObject, names: Mapping[str, str]) -> RimObject:
    def name(identifier: str | None) -> str | None:
        return None if identifier is None else names.get(identifier, identifier)

    return replace(
        obj,
        id=names[obj.id],
        classifications=tuple(
            replace(c, classified_object=names[obj.id]) for c in obj.classifications
        ),
        external_identifiers=tuple(
            replace(e, registry_object=names[obj.id]) for e in obj.external_identifiers
        ),
        source_object=name(obj.source_object),
        target_object=name(obj.target_object),
    )


def provided_submission(documents: int) -> RimObjectList:
    """The valid test submission as a source provides it: symbolic ids, a SubmissionSet uniqueId
    of its own each time (2.25 + a UUID), entries without hash, size and repositoryUniqueId."""
    objects = s.in_every(s.valid_submission(documents), [RimKind.EXTRINSIC_OBJECT], _as_provided)
    objects = s.replace_object(
        objects,
        s.uuid_for("submission-set"),
        lambda ss: s.with_external_identifier(ss, v.SS_UNIQUE_ID, f"2.25.{uuid.uuid4().int}"),
    )
    names = _symbolic_ids(objects)
    return replace(objects, objects=tuple(_renamed(o, names) for o in objects.objects))


def provided_for(patient_id: str, documents: int = 1, *, first: int = 1) -> RimObjectList:
    """`provided_submission(documents)` of `patient_id`, its DocumentEntries holding the
    uniqueIds `document_unique_id(first)`, `document_unique_id(first + 1)`, …"""

    def for_patient(obj: RimObject) -> RimObject:
        for scheme in (v.SS_PATIENT_ID, v.DE_PATIENT_ID):
            if obj.external_identifiers_by_scheme(scheme):
                obj = s.with_external_identifier(obj, scheme, patient_id)
        return obj

    objects = s.in_every(
        provided_submission(documents),
        [RimKind.EXTRINSIC_OBJECT, RimKind.REGISTRY_PACKAGE],
        for_patient,
    )
    numbers = range(first, first + documents)
    return with_unique_ids(objects, [document_unique_id(n) for n in numbers])


def with_unique_ids(objects: RimObjectList, unique_ids: Sequence[str]) -> RimObjectList:
    """`objects` whose DocumentEntry n+1 (`entry_id(n + 1)`) has the uniqueId `unique_ids[n]`."""
    for number, unique_id in enumerate(unique_ids, start=1):
        entry = s.object_with_id(objects, entry_id(number))
        renumbered = s.with_external_identifier(entry, v.DE_UNIQUE_ID, unique_id)
        objects = s.with_objects(s.without_objects(objects, entry.id), renumbered)
    return objects


def entry_id(number: int) -> str:
    """The (symbolic) id of DocumentEntry `number` of `provided_submission`."""
    return f"Document{number:02}"


def document_unique_id(number: int) -> str:
    """The uniqueId of DocumentEntry `number` of `provided_submission`."""
    return s.unique_id(100 + number)


def provide_request(
    contents: Sequence[bytes | DocumentContent], objects: RimObjectList | None = None
) -> RimProvideAndRegister:
    """An ITI-41 request: document n+1 of the valid submission holds `contents[n]`."""
    documents = tuple(
        Document(
            id=entry_id(n),
            content=InlineContent(c) if isinstance(c, bytes) else c,
        )
        for n, c in enumerate(contents, start=1)
    )
    return RimProvideAndRegister(
        submission=RimSubmission(object_list=objects or provided_submission(len(contents))),
        documents=documents,
    )


def document_request(settings: RepositorySettings, number: int) -> DocumentRequest:
    return DocumentRequest(
        repository_unique_id=settings.repository_unique_id,
        document_unique_id=document_unique_id(number),
    )


def eventually(condition: Callable[[], bool], *, within: float = 60.0) -> None:
    """Wait for a state another thread or process brings about (never a timing assertion)."""
    give_up = time.monotonic() + within
    while not condition():
        if time.monotonic() > give_up:
            raise AssertionError(f"still not true after {within} s: {condition}")
        time.sleep(0.02)


def registered(store: RepositoryStore, unique_id: str) -> StoredDocument | None:
    """The registered document with this uniqueId, if the store holds one."""
    return store.registered_documents([unique_id]).get(unique_id)


def stored_keys(services: RepositoryServices) -> list[str]:
    return [info.key for info in services.storage.list("")]


@dataclass
class RecordingQueue:
    """A `RegistrationQueue` nobody consumes: it only remembers what was sent."""

    sent: list[str] = field(default_factory=list)

    def enqueue(self, registration_id: str, *, delay: float = 0.0) -> None:
        self.sent.append(registration_id)


@dataclass
class MovableClock:
    """A clock the test moves (grace periods and deadlines without waiting)."""

    offset: timedelta = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, by: timedelta) -> None:
        self.offset += by
