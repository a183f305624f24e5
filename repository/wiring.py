"""The repository's services wired to their real adapters (one place, used by app and CLI)."""

from __future__ import annotations

from repository.registry_client import SoapRegistryClient
from repository.services.ports import RegistrationQueue
from repository.services.provide import ProvideAndRegister
from repository.services.reconcile import Reconciler
from repository.services.registration import Registrar
from repository.services.remove import RemoveDocuments
from repository.services.retrieve import RetrieveDocuments
from repository.settings import RepositorySettings
from repository.state import RepositoryServices
from repository.storage.backends import open_document_storage
from repository.storage.store import SqlRepositoryStore
from repository.tasks import CeleryRegistrationQueue
from schemas.mtom import MessageLimits
from servicekit.runtime import ServiceRuntime


def build_services(
    settings: RepositorySettings,
    runtime: ServiceRuntime,
    *,
    queue: RegistrationQueue | None = None,
) -> RepositoryServices:
    """The services; registrations go through the runtime's Celery broker unless `queue`."""
    storage = open_document_storage(settings.storage)
    store = SqlRepositoryStore(runtime.engine)
    queue = queue or CeleryRegistrationQueue(runtime.celery)
    policy = settings.registration
    registry = SoapRegistryClient(
        settings.registry_url,
        connect_timeout=policy.connect_timeout,
        read_timeout=policy.read_timeout,
        xml_limits=settings.xml_limits,
        credentials=settings.registry_credentials(),
    )
    rid = settings.repository_unique_id
    return RepositoryServices(
        storage=storage,
        store=store,
        provide=ProvideAndRegister(
            repository_unique_id=rid,
            storage=storage,
            store=store,
            queue=queue,
            policy=policy,
            validation_profile=settings.validation_profile,
            max_document_bytes=settings.max_document_bytes,
        ),
        retrieve=RetrieveDocuments(
            repository_unique_id=rid, storage=storage, store=store, spool_limits=MessageLimits()
        ),
        remove=RemoveDocuments(repository_unique_id=rid, storage=storage, store=store),
        registrar=Registrar(store=store, storage=storage, registry=registry, policy=policy),
        reconciler=Reconciler(
            store=store,
            storage=storage,
            queue=queue,
            registration_policy=policy,
            policy=settings.reconcile,
        ),
    )
