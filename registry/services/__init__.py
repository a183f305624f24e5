"""The registry's transactions as services over `registry.interfaces.RegistryStore`."""

from registry.services.delete import delete_document_set
from registry.services.options import RegistryOptions
from registry.services.patients import UnusablePatientId, feed_patient
from registry.services.queries import QueryResult, run_stored_query
from registry.services.register import RegistrationOutcome, register_document_set
from registry.services.update import UpdateOutcome, update_document_set

__all__ = [
    "QueryResult",
    "RegistrationOutcome",
    "RegistryOptions",
    "UnusablePatientId",
    "UpdateOutcome",
    "delete_document_set",
    "feed_patient",
    "register_document_set",
    "run_stored_query",
    "update_document_set",
]
