"""What the repository's handlers and tasks share, kept on `app.extensions["repository"]`."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from repository.settings import RepositorySettings
from servicekit.runtime import ServiceRuntime

EXTENSION = "repository"


@dataclass(frozen=True, slots=True, kw_only=True)
class RepositoryState:
    settings: RepositorySettings
    runtime: ServiceRuntime


def repository_state(app: Flask) -> RepositoryState:
    state: RepositoryState = app.extensions[EXTENSION]
    return state
