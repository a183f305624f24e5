"""What the registry's handlers and tasks share, kept on `app.extensions["registry"]`."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from registry.interfaces import RegistryStore
from registry.services.options import RegistryOptions
from registry.settings import RegistrySettings
from servicekit.runtime import ServiceRuntime

EXTENSION = "registry"


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistryState:
    settings: RegistrySettings
    runtime: ServiceRuntime
    store: RegistryStore
    options: RegistryOptions


def registry_state(app: Flask) -> RegistryState:
    state: RegistryState = app.extensions[EXTENSION]
    return state
