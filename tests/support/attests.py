"""Attest claims shaped like Tillitsrammeverk v1.1 §7 (Vedlegg B), with synthetic people."""

from __future__ import annotations

import copy
from typing import Any

from tests.support.people import GP, PATIENT

HPR_OF_GP = "9144900"


def attest_claim(
    *,
    toa: int,
    practitioner: str = GP,
    patient: str | None = PATIENT,
    purpose: str = "TREAT",
    hpr: str | None = HPR_OF_GP,
) -> dict[str, Any]:
    """A full attest as HelseID writes it into the access token (`care_relationship`)."""
    claim: dict[str, Any] = {
        "practitioner": {
            "identifier": {
                "id": practitioner,
                "name": "Magnar Koman",
                "system": "urn:oid:2.16.578.1.12.4.1.4.1",
                "authority": "https://www.skatteetaten.no",
            },
            "authorization": {
                "code": "LE",
                "text": "Lege",
                "system": "urn:oid:2.16.578.1.12.4.1.1.9060",
                "assigner": "https://www.helsedirektoratet.no/",
            },
            "legal_entity": {
                "id": "993467049",
                "name": "OSLO UNIVERSITETSSYKEHUS HF",
                "system": "urn:oid:2.16.578.1.12.4.1.4.101",
                "authority": "https://www.skatteetaten.no",
            },
            "point_of_care": {
                "id": "874716782",
                "name": "OSLO UNIVERSITETSSYKEHUS HF RIKSHOSPITALET - SOMATIKK",
                "system": "urn:oid:2.16.578.1.12.4.1.4.101",
                "authority": "https://www.brreg.no",
            },
            "department": {
                "id": "705592",
                "name": "Anestesiologi Seksjon RH",
                "system": "urn:oid:2.16.578.1.12.4.1.4.102",
                "authority": "https://www.nhn.no",
            },
        },
        "care_relationship": {
            "healthcare_service": {
                "code": "S03",
                "text": "Indremedisin",
                "system": "urn:oid:2.16.578.1.12.4.1.1.8655",
                "assigner": "https://www.volven.no/",
            },
            "purpose_of_use": {
                "code": purpose,
                "text": "Behandling",
                "system": "urn:oid:2.16.840.1.113883.1.11.20448",
                "assigner": "http://www.hl7.org/",
            },
            "purpose_of_use_details": {
                "code": "POLBESOK",
                "text": "Poliklinisk besøk",
                "system": "urn:AuditEventHL7Norway/CodeSystem/carerelation",
            },
            "decision_ref": {
                "id": "6f1c2a0e-5b7d-4c39-9a1e-2f8b3c4d5e6f",
                "user_selected": True,
                "description": "Pasienten er innlagt",
            },
        },
        "patients": [
            {
                "point_of_care": {
                    "id": "974589095",
                    "name": "OSLO UNIVERSITETSSYKEHUS HF ULLEVÅL - SOMATIKK",
                    "system": "urn:oid:2.16.578.1.12.4.1.4.101",
                },
                "department": {
                    "id": "109765",
                    "name": "Øye dagkir/pol 1. etasje",
                    "system": "urn:oid:2.16.578.1.12.4.1.4.102",
                },
            }
        ],
        "toa": toa,
    }
    if hpr is not None:
        claim["practitioner"]["hpr_nr"] = {
            "id": hpr,
            "system": "urn:oid:2.16.578.1.12.4.1.4.4",
            "authority": "https://www.helsedirektoratet.no/",
        }
    if patient is not None:
        claim["patients"][0]["identifier"] = {
            "id": patient,
            "system": "urn:oid:2.16.578.1.12.4.1.4.1",
            "authority": "https://www.skatteetaten.no",
        }
    return claim


def changed(claim: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy with the member at dotted `path` set to `value` (None removes it)."""
    result = copy.deepcopy(claim)
    *parents, last = path.split(".")
    node: Any = result
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return result
