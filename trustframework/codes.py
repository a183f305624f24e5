"""Code systems and codes of the Norwegian trust framework and the PJD metadata profile.

The only place the trust framework spells out these OIDs and codes (Tillitsrammeverk
"informasjons- og datamodell" §4, Volven code lists, HL7 PurposeOfUse). Identifiers and codes in
an attest carry their system as `urn:oid:<oid>`; `oid_of` accepts the bare OID as well.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from schemas import vocabulary as v
from schemas.norway import oids
from schemas.norway.identifiers import InvalidIdentifier, parse_national_identity_number

URN_OID: Final = v.OID_PREFIX

# The OIDs of identifiers and code systems are those of the Norwegian profile in `schemas.norway`.
FODSELSNUMMER: Final = oids.FODSELSNUMMER
D_NUMMER: Final = oids.D_NUMMER
H_NUMMER: Final = oids.H_NUMMER
HPR_NUMMER: Final = oids.HPR_NUMMER
NATIONAL_PERSON_IDS: Final = oids.PERSON_IDENTIFIER_AUTHORITIES
PRACTITIONER_PERSON_IDS: Final = frozenset({FODSELSNUMMER, D_NUMMER})
ENHETSREGISTERET: Final = oids.ENHETSREGISTERET
RESH: Final = oids.RESH
HELSEPERSONELLKATEGORI: Final = oids.KATEGORI_HELSEPERSONELL  # HPR authorization (LE, SP, PS …)
PURPOSE_OF_USE: Final = oids.PURPOSE_OF_USE
DOKUMENTTYPE: Final = oids.DOKUMENTTYPE
CONFIDENTIALITY: Final = oids.SPERRING_OG_NEKTING  # Volven 9603: NORS, NORU, NORN_*
HL7_CONFIDENTIALITY: Final = oids.HL7_CONFIDENTIALITY  # N, R, V

# Helsetjenestetype / fagområde lists a care relationship's healthcare_service may use (ATT-37).
HEALTHCARE_SERVICE_SYSTEMS: Final = frozenset(
    "2.16.578.1.12.4.1.1." + volven
    for volven in ("8655", "8627", "8451", "8668", "8663", "8662", "8664", "8666", "7750", "8254")
)


class PurposeOfUse(StrEnum):
    """The purposes a practitioner may attest (TR-FR ATT-38..41)."""

    TREAT = "TREAT"  # non-acute direct care
    ETREAT = "ETREAT"  # the acute chain: akuttmottak, legevakt, AMK
    COC = "COC"  # coordination of care without direct clinical care
    BTG = "BTG"  # break the glass: overrides normal access rules, always audited


class AccessBasis(StrEnum):
    """The `nhn-access-basis` values for reads under kjernejournalforskriften."""

    AKUTT = "AKUTT"
    SAMTYKKE = "SAMTYKKE"
    UNNTAK = "UNNTAK"


# --------------------------------------------------------------------------- confidentiality
NORS: Final = "NORS"  # sperret: hidden from health personnel
NORU: Final = "NORU"  # utsatt innsyn for innbygger
NORN_PREFIX: Final = "NORN_"  # nektet innsyn for innbygger (pbrl. § 5-1), NORN_ALL, NORN_FFL …
VERY_RESTRICTED: Final = "V"  # HL7 very restricted

# --------------------------------------------------------------------------- document classes
CLASS_EPIKRISER: Final = "A00-1"  # Epikriser og sammenfatninger
CLASS_PROVESVAR: Final = "C00-1"  # Prøvesvar, vev og væsker
CLASS_ORGANFUNKSJON: Final = "D00-1"  # Organfunksjon
CLASS_BILDEDIAGNOSTIKK: Final = "E00-1"  # Bildediagnostikk
CLASS_KORRESPONDANSE: Final = "I00-1"  # Korrespondanse


def oid_of(system: str) -> str:
    """`urn:oid:1.2.3` and `1.2.3` both give `1.2.3`."""
    return oids.bare_oid(system)


def urn_of(oid: str) -> str:
    """The `urn:oid:` form the trust framework writes."""
    return oid if oid.startswith(URN_OID) else URN_OID + oid


def national_id_system(number: str) -> str:
    """The OID of an 11-digit national id by its structure: D-nummer (day + 40), H-nummer
    (month + 40), else fødselsnummer (synthetic test numbers included)."""
    try:
        return parse_national_identity_number(number).authority_oid
    except InvalidIdentifier:
        return FODSELSNUMMER
