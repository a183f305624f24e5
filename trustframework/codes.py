"""Code systems and codes of the Norwegian trust framework and the PJD metadata profile.

The only place the trust framework spells out these OIDs and codes (Tillitsrammeverk
"informasjons- og datamodell" §4, Volven code lists, HL7 PurposeOfUse). Identifiers and codes in
an attest carry their system as `urn:oid:<oid>`; `oid_of` accepts the bare OID as well.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

URN_OID: Final = "urn:oid:"

# --------------------------------------------------------------------------- person ids
FODSELSNUMMER: Final = "2.16.578.1.12.4.1.4.1"  # F-nummer (NIN)
D_NUMMER: Final = "2.16.578.1.12.4.1.4.2"  # D-nummer (TNIN)
H_NUMMER: Final = "2.16.578.1.12.4.1.4.3"  # H-nummer (ENIN), patients only
HPR_NUMMER: Final = "2.16.578.1.12.4.1.4.4"  # Helsepersonellregisteret

NATIONAL_PERSON_IDS: Final = frozenset({FODSELSNUMMER, D_NUMMER, H_NUMMER})
PRACTITIONER_PERSON_IDS: Final = frozenset({FODSELSNUMMER, D_NUMMER})

# --------------------------------------------------------------------------- organisations
ENHETSREGISTERET: Final = "2.16.578.1.12.4.1.4.101"  # organisasjonsnummer
RESH: Final = "2.16.578.1.12.4.1.4.102"  # Register for enheter i spesialisthelsetjenesten

# --------------------------------------------------------------------------- code systems
HELSEPERSONELLKATEGORI: Final = "2.16.578.1.12.4.1.1.9060"  # HPR authorization (LE, SP, PS …)
PURPOSE_OF_USE: Final = "2.16.840.1.113883.1.11.20448"  # HL7 PurposeOfUse
DOKUMENTTYPE: Final = "2.16.578.1.12.4.1.1.9602"  # Volven 9602: classCode / typeCode
CONFIDENTIALITY: Final = "2.16.578.1.12.4.1.1.9603"  # Volven 9603: NORS, NORU, NORN_*
HL7_CONFIDENTIALITY: Final = "2.16.840.1.113883.5.25"  # N, R, V

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
    return system[len(URN_OID) :] if system.startswith(URN_OID) else system


def urn_of(oid: str) -> str:
    """The `urn:oid:` form the trust framework writes."""
    return oid if oid.startswith(URN_OID) else URN_OID + oid


def national_id_system(number: str) -> str:
    """The OID of an 11-digit national id: D-nummer (day + 40), H-nummer (month + 40), else F.

    Synthetic test numbers (month + 80) are F-nummer.
    """
    if number[:1] in ("4", "5", "6", "7"):
        return D_NUMMER
    if number[2:3] in ("4", "5", "6", "7"):
        return H_NUMMER
    return FODSELSNUMMER
