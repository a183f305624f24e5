"""What the repository's handlers and tasks share, kept on `app.extensions["repository"]`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from repository.services.provide import ProvideAndRegister
from repository.services.reconcile import Reconciler
from repository.services.registration import Registrar
from repository.services.remove import RemoveDocuments
from repository.services.retrieve import RetrieveDocuments
from repository.settings import RepositorySettings
from repository.storage.documents import DocumentStorage
from repository.storage.store import SqlRepositoryStore
from servicekit.runtime import ServiceRuntime
from trustframework.audit.service import ServiceAudit
from trustframework.blocks import BlockStore
from trustframework.guard import Guard

EXTENSION = "repository"


@dataclass(frozen=True, slots=True, kw_only=True)
class RepositoryServices:
    """The repository's flows, wired to its storage, database, registry and queue."""

    storage: DocumentStorage
    store: SqlRepositoryStore
    provide: ProvideAndRegister
    retrieve: RetrieveDocuments
    remove: RemoveDocuments
    registrar: Registrar
    reconciler: Reconciler


@dataclass(frozen=True, slots=True, kw_only=True)
class RepositoryState:
    settings: RepositorySettings
    runtime: ServiceRuntime
    services: RepositoryServices
    guard: Guard
    audit: ServiceAudit
    blocks: BlockStore
    """The patients' blocks, from the repository's own database (enforced by ITI-43)."""
    notify_delivery: Callable[[frozenset[str]], None]
    """Sends the audit delivery tasks of these organisations (after a write committed)."""


def repository_state(app: Flask) -> RepositoryState:
    state: RepositoryState = app.extensions[EXTENSION]
    return state
