"""What the registry's handlers and tasks share, kept on `app.extensions["registry"]`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from registry.interfaces import MetadataCodec
from registry.services.options import RegistryOptions
from registry.settings import RegistrySettings
from registry.storage import SqlRegistryStore
from servicekit.runtime import ServiceRuntime
from trustframework.audit.service import ServiceAudit
from trustframework.blocks import BlockStore
from trustframework.guard import Guard

EXTENSION = "registry"


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistryState:
    settings: RegistrySettings
    runtime: ServiceRuntime
    store: SqlRegistryStore
    options: RegistryOptions
    codec: MetadataCodec
    """Reads stored objects back into the domain (the access policy judges DocumentEntries)."""
    guard: Guard
    audit: ServiceAudit
    blocks: BlockStore
    notify_delivery: Callable[[frozenset[str]], None]
    """Sends the audit delivery tasks of these organisations (after a write committed)."""


def registry_state(app: Flask) -> RegistryState:
    state: RegistryState = app.extensions[EXTENSION]
    return state
