"""The registry stand-in with the real registry engine behind it (`registry.services`), until the
registry serves ITI-42 over SOAP itself: requests are read and answered as `FakeRegistry` does
(so holding answers back and the other behaviours work the same), but registering is the real
engine's, with its resubmission and duplicate rules and its own database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from registry.app import create_app
from registry.entries import RegistryEntry
from registry.services import register_document_set
from registry.settings import RegistrySettings
from registry.state import RegistryState, registry_state
from schemas.errors import ResponseStatus, XdsFailure
from schemas.model.messages import RegistryResponse, SubmitObjectsRequest
from servicekit.runtime import migrations_of, runtime_of
from tests.support.fake_registry import FakeRegistry
from tests.support.registry_app import registry_environ
from trustframework.audit.settings import AuditSettings


@dataclass
class EngineRegistry(FakeRegistry):
    folder: Path = field(default_factory=Path)
    state: RegistryState | None = None
    _app: Flask | None = None

    def start(self) -> EngineRegistry:
        environ = registry_environ(self.folder)
        settings = RegistrySettings.from_env(environ)
        migrations_of("registry").upgrade(settings.database_url)
        app = create_app(settings, AuditSettings.from_env(environ))
        self.state = registry_state(app)
        self._app = app
        super().start()
        return self

    def stop(self) -> None:
        super().stop()
        if self._app is not None:
            runtime_of(self._app).engine.dispose()

    def _register(self, submission: SubmitObjectsRequest) -> RegistryResponse:
        assert self.state is not None
        try:
            register_document_set(self.state.store, submission.metadata, options=self.state.options)
        except XdsFailure as failure:
            return RegistryResponse(status=ResponseStatus.FAILURE, errors=failure.errors)
        return RegistryResponse(status=ResponseStatus.SUCCESS)

    def held(self, unique_ids: list[str]) -> list[RegistryEntry]:
        """The registry's objects with these uniqueIds."""
        assert self.state is not None
        with self.state.store.transaction() as transaction:
            return transaction.entries_with_unique_ids(unique_ids)
