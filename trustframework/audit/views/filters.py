"""The search parameters of the audit views, read into a RecordFilter with clear refusals.

`patient`: a national id (11 digits, any of F-, D-, H-nummer) or a CX `id^^^&oid&ISO`;
`practitioner`: an HPR number; `organization`: the caller's organisation number (the attest's
legal entity or the client's organisation); `from` / `to`: ISO 8601 dates or times (a `to` date
includes that whole day; a time without zone is UTC); `before`: page below this sequence number;
`_count`: page size.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from schemas.model import Cx
from trustframework import codes
from trustframework.audit.store import RecordFilter

_NATIONAL_ID = re.compile(r"\d{11}")
_HPR = re.compile(r"\d{1,12}")
_ORGANISATION = re.compile(r"\d{9}")
PARAMETERS = ("patient", "practitioner", "organization", "from", "to")


class BadFilter(ValueError):
    """A search parameter that cannot be used; the message names it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditQuery:
    where: RecordFilter
    patient: Cx | None
    before: int | None
    limit: int
    given: dict[str, str] = field(default_factory=dict)
    """The filter parameters as given (for links to the next page and to exports)."""


def _patient(value: str) -> tuple[Cx, frozenset[str]]:
    if "^" in value:
        cx = Cx.parse(value)
        if not cx.id_number or not cx.authority_oid:
            raise BadFilter("patient: a CX needs an id and an assigning authority (id^^^&oid&ISO)")
        return cx, frozenset({cx.authority_oid})
    if not _NATIONAL_ID.fullmatch(value):
        raise BadFilter("patient: give an 11-digit national id or a CX (id^^^&oid&ISO)")
    return Cx.of(value, ""), codes.NATIONAL_PERSON_IDS


def _moment(name: str, value: str, *, end: bool) -> datetime:
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            moment = datetime.combine(day + timedelta(days=1) if end else day, time(), UTC)
        else:
            moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadFilter(f"{name}: {value!r} is not an ISO 8601 date or time") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _number(name: str, value: str | None, *, default: int | None, maximum: int) -> int | None:
    if value is None or value == "":
        return default
    if not value.isdigit() or not 1 <= int(value) <= maximum:
        raise BadFilter(f"{name}: a whole number from 1 to {maximum}")
    return int(value)


def _checked(name: str, value: str, pattern: re.Pattern[str], what: str) -> str:
    if not pattern.fullmatch(value):
        raise BadFilter(f"{name}: {what}")
    return value


def parse_query(
    args: Mapping[str, str], *, data_controller: str | None, default_limit: int, max_limit: int
) -> AuditQuery:
    """The query of `args`, limited to records of `data_controller` (None: every record)."""
    given = {name: args[name].strip() for name in PARAMETERS if args.get(name, "").strip()}
    patient, authorities = _patient(given["patient"]) if "patient" in given else (None, None)
    practitioner = given.get("practitioner")
    organisation = given.get("organization")
    where = RecordFilter(
        data_controller=data_controller,
        patient_id=patient.id_number if patient is not None else None,
        patient_authorities=authorities,
        practitioner_hpr=_checked("practitioner", practitioner, _HPR, "an HPR number")
        if practitioner
        else None,
        organisation=_checked("organization", organisation, _ORGANISATION, "9 digits")
        if organisation
        else None,
        since=_moment("from", given["from"], end=False) if "from" in given else None,
        until=_moment("to", given["to"], end=True) if "to" in given else None,
    )
    limit = _number("_count", args.get("_count"), default=default_limit, maximum=max_limit)
    before = _number("before", args.get("before"), default=None, maximum=2**62)
    return AuditQuery(
        where=where, patient=patient, before=before, limit=limit or default_limit, given=given
    )
