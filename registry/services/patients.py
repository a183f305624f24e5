"""Patient identity: which patient ids the registry knows (ITI-42 XDSUnknownPatientId).

A Norwegian national identity number (fødselsnummer, D-nummer, H-nummer or felles hjelpenummer
under its own assigning authority OID) is known when it is well formed: its check digits match and
its date part is real. Any other patient id is known only after the identity feed has registered
it (`dokdeling patients add CX`, or `feed_patient`).
"""

from __future__ import annotations

from collections.abc import Iterable

from registry.interfaces import RegistryStore, RegistryTransaction
from registry.services.options import RegistryOptions
from registry.services.transactions import in_transaction
from schemas.errors import RegistryError, XdsErrorCode
from schemas.model import Cx
from schemas.norway import InvalidIdentifier, validate_national_identity_number
from schemas.norway.oids import PERSON_IDENTIFIER_AUTHORITIES, bare_oid


class UnusablePatientId(ValueError):
    """A patient id the identity feed cannot register."""


def is_national_identity(patient_id: Cx) -> bool:
    """Whether the id is issued under a Norwegian national person-identifier authority."""
    return bare_oid(patient_id.authority_oid) in PERSON_IDENTIFIER_AUTHORITIES


def is_valid_national_identity(patient_id: Cx) -> bool:
    try:
        validate_national_identity_number(patient_id.id_number, patient_id.authority_oid)
    except InvalidIdentifier:
        return False
    return True


def unknown_patient_errors(
    transaction: RegistryTransaction, patient_ids: Iterable[Cx]
) -> list[RegistryError]:
    """One XDSUnknownPatientId per distinct patient id the registry does not know."""
    distinct = {p.render(): p for p in patient_ids}
    national = {key for key, p in distinct.items() if is_national_identity(p)}
    fed = transaction.known_patients(distinct.keys() - national)
    errors: list[RegistryError] = []
    for key in sorted(distinct):
        patient = distinct[key]
        if key in national and not is_valid_national_identity(patient):
            context = (
                f"patient id {key} is not a valid Norwegian national identity number for "
                f"assigning authority {patient.authority_oid} (check digits or date do not match)"
            )
        elif key not in national and key not in fed:
            context = (
                f"patient id {key} is not known to the registry; register it through the "
                "patient identity feed first"
            )
        else:
            continue
        errors.append(RegistryError(code=XdsErrorCode.UNKNOWN_PATIENT_ID, context=context))
    return errors


def feed_patient(store: RegistryStore, patient_id: Cx, *, options: RegistryOptions) -> bool:
    """Make a patient id known (the identity feed); False when it was known already.

    Raises `UnusablePatientId` for an id without an assigning authority OID, and for a Norwegian
    national identity number that is not well formed (those are known without a feed).
    """
    if not patient_id.id_number or not patient_id.authority_oid:
        raise UnusablePatientId(
            f"{patient_id.render()!r} needs an id and an assigning authority OID "
            "(for example SELF-5^^^&1.3.6.1.4.1.21367.2005.3.7&ISO)"
        )
    if is_national_identity(patient_id) and not is_valid_national_identity(patient_id):
        raise UnusablePatientId(
            f"{patient_id.id_number} is not a valid national identity number for "
            f"assigning authority {patient_id.authority_oid}"
        )
    registered_at = options.clock()
    return in_transaction(
        store,
        lambda transaction: transaction.add_patient(patient_id.render(), registered_at),
        attempts=options.write_attempts,
    )
