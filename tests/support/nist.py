"""Replay helpers for the NIST testkit files: plausible values for their `$name$` placeholders.

The testkit leaves ids, uniqueIds, patient ids and some attributes as placeholders that the
toolkit fills from earlier steps. `substitute_placeholders` fills every one deterministically, so
the files become valid ebRS 3.0 (a `returnType` placeholder becomes `LeafClass`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from schemas import vocabulary as v

# Synthetic fødselsnumre (day, month + 80, year, individual number, valid check digits).
SYNTHETIC_PATIENT = "15838510075^^^&2.16.578.1.12.4.1.4.1&ISO"
SYNTHETIC_OTHER_PATIENT = "02839010020^^^&2.16.578.1.12.4.1.4.1&ISO"
HOME_COMMUNITY = "urn:oid:2.16.578.1.12.4.5.100.1.1"

_PLACEHOLDER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)\$")
_NAMESPACE = uuid.UUID("2b1d3f1e-4c0a-4f53-9a51-2f1f3c8a6a10")


def _oid(name: str) -> str:
    return f"2.25.{uuid.uuid5(_NAMESPACE, name).int}"


def _entry_uuid(name: str) -> str:
    return v.UUID_PREFIX + str(uuid.uuid5(_NAMESPACE, name))


_RULES: tuple[tuple[re.Pattern[str], Callable[[str], str]], ...] = (
    (re.compile(r"altpatientid"), lambda _: SYNTHETIC_OTHER_PATIENT),
    (re.compile(r"patient_?id"), lambda _: SYNTHETIC_PATIENT),
    (re.compile(r"returnType|rt\d+"), lambda _: v.RETURN_TYPE_LEAF_CLASS),
    (re.compile(r"home"), lambda _: HOME_COMMUNITY),
    (re.compile(r"now"), lambda _: "20260101120000"),
    (re.compile(r"lastyear"), lambda _: "20250101120000"),
    (re.compile(r"DATE"), lambda _: "20260101"),
    (re.compile(r"ot\d+|object_types"), lambda _: v.OBJECT_TYPE_STABLE_DOCUMENT),
    (re.compile(r"fc\d+"), lambda n: f"{n}^^2.16.578.1.12.4.1.1.9671"),
    (re.compile(r"cc\d+"), lambda _: "N^^2.16.840.1.113883.5.25"),
    (re.compile(r"[dfs]st\d+"), lambda _: v.STATUS_APPROVED),
    (re.compile(r"hash.*"), lambda _: "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
    (re.compile(r"size.*"), lambda _: "1024"),
    (re.compile(r"mimetype.*"), lambda _: "text/plain"),
    (re.compile(r"metadatalevel"), lambda _: "1"),
    (re.compile(r".*uuid\d*"), _entry_uuid),
    (re.compile(r".*(uid|uniqueid|repositoryUniqueId).*", re.IGNORECASE), _oid),
)


def placeholder_value(name: str) -> str:
    """The value standing in for `$name$`: by the rules above, else a deterministic entryUUID."""
    for pattern, value in _RULES:
        if pattern.fullmatch(name):
            return value(name)
    return _entry_uuid(name)


def substitute_placeholders(xml_text: str) -> str:
    """`xml_text` with every `$name$` replaced by its value, XML-escaped."""

    def replace(match: re.Match[str]) -> str:
        return placeholder_value(match.group(1)).replace("&", "&amp;")

    return _PLACEHOLDER.sub(replace, xml_text)
