"""The patient identity feed and which patient ids the registry knows."""

from __future__ import annotations

import pytest

from registry.services import RegistryOptions, UnusablePatientId, feed_patient
from registry.services.patients import is_valid_national_identity
from registry.storage import SqlRegistryStore
from schemas.model import Cx
from tests.support.registry_metadata import NIST_AUTHORITY, NORWEGIAN_PATIENT

D_NUMMER_AUTHORITY = "2.16.578.1.12.4.1.4.2"


def test_feeding_a_patient_once(store: SqlRegistryStore, options: RegistryOptions) -> None:
    patient = Cx.of("SELF-7", NIST_AUTHORITY)

    assert feed_patient(store, patient, options=options) is True
    assert feed_patient(store, patient, options=options) is False


@pytest.mark.parametrize(
    "patient",
    [
        Cx("SELF-8"),  # no assigning authority
        Cx.of("", NIST_AUTHORITY),
        Cx.of("12838540057", NORWEGIAN_PATIENT.authority_oid),  # wrong check digit
    ],
)
def test_unusable_patient_ids_are_refused(
    store: SqlRegistryStore, options: RegistryOptions, patient: Cx
) -> None:
    with pytest.raises(UnusablePatientId):
        feed_patient(store, patient, options=options)


def test_national_numbers_under_the_wrong_authority_are_not_valid() -> None:
    assert is_valid_national_identity(NORWEGIAN_PATIENT)
    assert not is_valid_national_identity(Cx.of(NORWEGIAN_PATIENT.id_number, D_NUMMER_AUTHORITY))
