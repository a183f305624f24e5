"""Norwegian and HL7 code systems used in XDS metadata, loaded once from package data.

Each `data/*.json` file is one code system written for this project from the facts in the Norwegian
profile (Volven, HIS 1169) and NHN's test data. `complete` says whether the file lists the whole
code system; validation only rejects codes missing from a complete one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from schemas import vocabulary as v
from schemas.norway import oids

DATA_PACKAGE = "schemas.norway.data"


@dataclass(frozen=True, slots=True, kw_only=True)
class Concept:
    """One code with its display name; Volven 9602 codes also carry their level and parent class."""

    code: str
    display: str
    level: int | None = None
    parent: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeSystem:
    """A code system: its OID (None for URN-only code lists), other names, and its concepts."""

    id: str
    name: str
    oid: str | None
    concepts: tuple[Concept, ...]
    complete: bool
    aliases: tuple[str, ...] = ()
    source: str = ""
    _by_code: Mapping[str, Concept] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", MappingProxyType({c.code: c for c in self.concepts}))

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Concept]:
        return iter(self.concepts)

    def concept(self, code: str) -> Concept | None:
        return self._by_code.get(code)

    def display(self, code: str) -> str | None:
        concept = self._by_code.get(code)
        return None if concept is None else concept.display

    def is_named(self, system: str) -> bool:
        """True when `system` (an OID, `urn:oid:` OID, alias URI or id) names this code system."""
        bare = oids.bare_oid(system)
        return bare in (self.oid, self.id) or system.strip() in self.aliases

    @property
    def urn(self) -> str | None:
        return None if self.oid is None else f"{v.OID_PREFIX}{self.oid}"


@cache
def code_systems() -> tuple[CodeSystem, ...]:
    """Every code system shipped in `schemas/norway/data`, sorted by id."""
    files = sorted(
        (f for f in resources.files(DATA_PACKAGE).iterdir() if f.name.endswith(".json")),
        key=lambda f: f.name,
    )
    return tuple(_read(json.loads(f.read_text(encoding="utf-8"))) for f in files)


@lru_cache(maxsize=512)
def find_code_system(system: str) -> CodeSystem | None:
    """The code system an OID, `urn:oid:` OID, alias URI or id names, or None (remembered for
    the few hundred names most recently asked: the shipped code systems never change)."""
    return next((cs for cs in code_systems() if cs.is_named(system)), None)


def code_system(system: str) -> CodeSystem:
    """Like `find_code_system`, but an unknown name is a KeyError."""
    found = find_code_system(system)
    if found is None:
        raise KeyError(f"no code system named {system!r}")
    return found


def _read(document: Mapping[str, Any]) -> CodeSystem:
    return CodeSystem(
        id=document["id"],
        name=document["name"],
        oid=document["oid"],
        complete=document["complete"],
        aliases=tuple(document.get("aliases", ())),
        source=document.get("source", ""),
        concepts=tuple(
            Concept(
                code=c["code"],
                display=c["display"],
                level=c.get("level"),
                parent=c.get("parent"),
            )
            for c in document["concepts"]
        ),
    )
