"""OIDs of the Norwegian profile: identifier authorities and the code systems XDS metadata uses.

Sources: norway-profile.md §1.2 and §3 (NHN utviklerportal, Tillitsrammeverk, HL7 Norway kodeverk).
XDS literals themselves live in `schemas.vocabulary`; these are the Norwegian ones.
"""

from __future__ import annotations

from typing import Final

from schemas import vocabulary as v

# ---------------------------------------------------------------- identifier authorities (4.1.4.x)
FODSELSNUMMER: Final = "2.16.578.1.12.4.1.4.1"
"""Fødselsnummer (NIN), issued by Skatteetaten."""
D_NUMMER: Final = "2.16.578.1.12.4.1.4.2"
"""D-nummer (TNIN): temporary national number, day + 40."""
H_NUMMER: Final = "2.16.578.1.12.4.1.4.3"
"""H-nummer (ENIN): hjelpenummer, month + 40, and felles hjelpenummer (first digit 8 or 9)."""
HPR_NUMMER: Final = "2.16.578.1.12.4.1.4.4"
"""Helsepersonellregisteret (HPR) number of a health professional."""
ENHETSREGISTERET: Final = "2.16.578.1.12.4.1.4.101"
"""Organisation number in Enhetsregisteret (Brønnøysund)."""
RESH: Final = "2.16.578.1.12.4.1.4.102"
"""Register over enheter i spesialisthelsetjenesten (department id)."""

PERSON_IDENTIFIER_AUTHORITIES: Final = frozenset({FODSELSNUMMER, D_NUMMER, H_NUMMER})

# ---------------------------------------------------------------- code systems
DOKUMENTTYPE: Final = "2.16.578.1.12.4.1.1.9602"
"""Volven 9602: class codes (level 1, `A00-1`) and type codes (level 2, `A03-2`)."""
SPERRING_OG_NEKTING: Final = "2.16.578.1.12.4.1.1.9603"
"""Volven 9603: confidentiality codes (N, NORS, NORU, NORN_*)."""
HL7_CONFIDENTIALITY: Final = "2.16.840.1.113883.5.25"
"""HL7 v3 Confidentiality (U, L, M, N, R, V)."""
HELSETJENESTEENHET: Final = "2.16.578.1.12.4.1.1.1303"
"""Volven 1303: healthcare facility types (SN2007 næringskoder)."""
TJENESTETYPE: Final = "2.16.578.1.12.4.1.1.8653"
"""Volven 8653: the practice-setting codes NHN's test data uses (1 Pleietjenester … 9 AMK)."""
KATEGORI_HELSEPERSONELL: Final = "2.16.578.1.12.4.1.1.9060"
"""Volven 9060: health-personnel categories (LE Lege, SP Sykepleier, …)."""
FUNKSJON_HELSEPERSONELL: Final = "2.16.578.1.12.4.1.1.9034"
"""Volven 9034: author roles (3 Behandlingsansvarlig lege, 6 Fastlege, …)."""
LEGESPESIALITET: Final = "2.16.578.1.12.4.1.1.7426"
"""Volven 7426: medical specialties (1 Allmennmedisin, 35 Radiologi, …)."""
IHE_FORMAT_CODES: Final = "1.3.6.1.4.1.19376.1.2.3"
"""IHE format codes (`urn:ihe:iti:xds:2017:mimeTypeSufficient`, …)."""
PURPOSE_OF_USE: Final = "2.16.840.1.113883.1.11.20448"
"""HL7 PurposeOfUse (TREAT, ETREAT, COC, BTG, …)."""
PURPOSE_OF_USE_ISO_14265: Final = "1.0.14265.1"
"""ISO 14265 purpose codes (1, 2, 5, 13), still sent by older clients."""


def bare_oid(text: str) -> str:
    """An OID without a `urn:oid:` prefix (code systems arrive in both spellings)."""
    stripped = text.strip()
    return stripped[len(v.OID_PREFIX) :] if stripped.startswith(v.OID_PREFIX) else stripped
