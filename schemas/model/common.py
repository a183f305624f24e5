"""Values shared by all XDS metadata objects: strings, codes, slots, statuses, identity."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from schemas import vocabulary as v


@dataclass(frozen=True, slots=True)
class LocalizedString:
    """One `rim:LocalizedString` of a Name or Description."""

    value: str
    lang: str | None = None
    charset: str | None = None


InternationalString = tuple[LocalizedString, ...]


def text_of(international: InternationalString) -> str:
    """The first localized value, or "" (XDS titles and comments carry one string in practice)."""
    return international[0].value if international else ""


def international(text: str | None, lang: str | None = None) -> InternationalString:
    return () if text is None else (LocalizedString(text, lang),)


@dataclass(frozen=True, slots=True)
class Code:
    """A coded value: `nodeRepresentation`, its `codingScheme` slot and display name."""

    code: str
    scheme: str
    display: InternationalString = ()

    @property
    def display_text(self) -> str:
        return text_of(self.display)

    def render(self) -> str:
        """The stored-query form `code^^scheme` (HL7 CE: code, display, coding system)."""
        return f"{self.code}^^{self.scheme}"

    def same_concept(self, other: Code) -> bool:
        return self.code == other.code and self.scheme == other.scheme


@dataclass(frozen=True, slots=True)
class Slot:
    """A `rim:Slot` that XDS does not define (extra metadata), kept as it came."""

    name: str
    values: tuple[str, ...]
    slot_type: str | None = None


class AvailabilityStatus(StrEnum):
    APPROVED = v.STATUS_APPROVED
    DEPRECATED = v.STATUS_DEPRECATED
    SUBMITTED = v.STATUS_SUBMITTED

    @property
    def short_name(self) -> str:
        return self.value.rsplit(":", 1)[-1]


class DocumentEntryType(StrEnum):
    STABLE = v.OBJECT_TYPE_STABLE_DOCUMENT
    ON_DEMAND = v.OBJECT_TYPE_ON_DEMAND_DOCUMENT


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistryObjectBase:
    """What every XDS object has: its entryUUID, logical id and version, home, status, texts.

    `entry_uuid` is the ebRIM `id`: a `urn:uuid:` or, in a submission, a symbolic id that the
    registry replaces. `logical_id` (`lid`) and `version` (`VersionInfo/@versionName`) carry
    metadata versioning (ITI-57).
    """

    entry_uuid: str
    logical_id: str | None = None
    version: str | None = None
    home_community_id: str | None = None
    status: AvailabilityStatus | None = None
    title: InternationalString = ()
    comments: InternationalString = ()
    extra_slots: tuple[Slot, ...] = field(default=())

    @property
    def has_uuid(self) -> bool:
        return self.entry_uuid.startswith(v.UUID_PREFIX)


@dataclass(frozen=True, slots=True)
class ObjectRef:
    """A `rim:ObjectRef`: a reference to a registry object by id (and home community)."""

    id: str
    home_community_id: str | None = None
