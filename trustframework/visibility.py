"""Which document entries a reader may see: confidentiality codes and kjernejournalforskriften.

- Health personnel never see NORS (*sperret*) entries, except under break-the-glass (BTG): BTG
  is the attested, audited override of normal access rules. ETREAT does not reveal them; the
  `NHN-SecurityLabel-Nors-Count` header tells the clinician that there are some, and the clinician
  can ask again with BTG (docs/trustframework.md §3 gives the reasoning).
- Citizens never see NORU (*utsatt innsyn*), NORN_* (*nektet innsyn*) or HL7 V entries.
- Under kjernejournalforskriften only these classes are shown, and only this recent (by
  serviceStartTime, else creationTime): A00-1 always; C00-1 and I00-1 one year; D00-1 and E00-1
  five years. Other classes, and entries without a usable time, are not shown.
Codes are matched on their value whatever their scheme: hiding is the safe side of a mismatch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from trustframework import codes
from trustframework.judged import JudgedDocument


class LegalBasis(StrEnum):
    """The law a health-personnel read rests on, chosen by the token's list scope."""

    HELSEPERSONELLOVEN_45 = "helsepersonelloven-45"
    KJERNEJOURNALFORSKRIFTEN = "kjernejournalforskriften"


class Rule(StrEnum):
    """The rules that permit a request or hide an entry (denials are named by their Reason)."""

    SCOPE_GRANTED = "scope_granted"
    PERSONNEL_READ = "personnel_read"
    BREAK_THE_GLASS = "break_the_glass"
    CITIZEN_OWN_DOCUMENTS = "citizen_own_documents"
    NORS_HIDDEN_FROM_PERSONNEL = "nors_hidden_from_personnel"
    RESTRICTED_FROM_CITIZEN = "restricted_from_citizen"
    KJERNEJOURNAL_CLASS_NOT_COVERED = "kjernejournalforskriften_class_not_covered"
    KJERNEJOURNAL_OUTSIDE_TIME_WINDOW = "kjernejournalforskriften_outside_time_window"


# Years back an entry of each class is shown under kjernejournalforskriften (None: no limit).
KJERNEJOURNAL_WINDOWS: Final[dict[str, int | None]] = {
    codes.CLASS_EPIKRISER: None,
    codes.CLASS_PROVESVAR: 1,
    codes.CLASS_KORRESPONDANSE: 1,
    codes.CLASS_ORGANFUNKSJON: 5,
    codes.CLASS_BILDEDIAGNOSTIKK: 5,
}


@dataclass(frozen=True, slots=True)
class Hidden:
    """An entry left out, and the rule that left it out."""

    entry: JudgedDocument
    rule: Rule


def confidentiality_values(entry: JudgedDocument) -> frozenset[str]:
    return frozenset(code.code.strip().upper() for code in entry.confidentiality_codes)


def is_nors(entry: JudgedDocument) -> bool:
    return codes.NORS in confidentiality_values(entry)


def hidden_from_citizen(entry: JudgedDocument) -> Hidden | None:
    values = confidentiality_values(entry)
    restricted = codes.NORU in values or codes.VERY_RESTRICTED in values
    if restricted or any(value.startswith(codes.NORN_PREFIX) for value in values):
        return Hidden(entry, Rule.RESTRICTED_FROM_CITIZEN)
    return None


def hidden_from_personnel(
    documents: Sequence[JudgedDocument], basis: LegalBasis, btg: bool, now: datetime
) -> tuple[tuple[Hidden, ...], int]:
    """The entries personnel may not see, and how many NORS entries BTG revealed.

    The kjernejournal limits apply first, so the NORS count only counts entries the reader would
    otherwise have seen.
    """
    hidden: list[Hidden] = []
    revealed = 0
    for entry in documents:
        rule = None
        if basis is LegalBasis.KJERNEJOURNALFORSKRIFTEN:
            rule = outside_kjernejournal(entry, now)
        if rule is None and is_nors(entry):
            if btg:
                revealed += 1
            else:
                rule = Rule.NORS_HIDDEN_FROM_PERSONNEL
        if rule is not None:
            hidden.append(Hidden(entry, rule))
    return tuple(hidden), revealed


def outside_kjernejournal(entry: JudgedDocument, now: datetime) -> Rule | None:
    """Why kjernejournalforskriften does not cover this entry, or None when it does."""
    class_code = entry.class_code.code.strip() if entry.class_code is not None else ""
    if class_code not in KJERNEJOURNAL_WINDOWS:
        return Rule.KJERNEJOURNAL_CLASS_NOT_COVERED
    years = KJERNEJOURNAL_WINDOWS[class_code]
    if years is None:
        return None
    moment = _clinical_time(entry)
    if moment is None or moment < _years_before(now, years):
        return Rule.KJERNEJOURNAL_OUTSIDE_TIME_WINDOW
    return None


def _clinical_time(entry: JudgedDocument) -> datetime | None:
    for stamp in (entry.service_start_time, entry.creation_time):
        if stamp is not None and stamp.is_valid:
            return stamp.to_datetime()
    return None


def _years_before(now: datetime, years: int) -> datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)
