"""A SubmitObjectsRequest (ITI-42, ITI-57) read, validated against the configured profile and
turned into domain metadata."""

from __future__ import annotations

from registry.state import RegistryState
from schemas.ebrim.submit import read_submit_objects_request, submission_from_rim
from schemas.endpoint import SoapRequest
from schemas.errors import RegistryError
from schemas.model import XdsMetadata
from schemas.validation import Transaction, validate_submission


def validated_metadata(
    state: RegistryState, request: SoapRequest, transaction: Transaction
) -> tuple[XdsMetadata, tuple[RegistryError, ...]]:
    """The submission's metadata, and the warnings a Success response carries. A malformed body
    is a Sender SoapFault; invalid metadata XdsFailure with every error and warning."""
    submission = read_submit_objects_request(request.envelope.body)
    report = validate_submission(submission.object_list, transaction, state.settings.validation)
    report.raise_if_invalid()
    return submission_from_rim(submission).metadata, report.registry_errors()
