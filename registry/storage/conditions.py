"""Query conditions as plain values, compiled to SQL once per shape.

A stored query's WHERE clause is a small tree of these values. Its *shape* (the tree with every
value left out) decides the SQL; its values are the bound parameters. `select_hits` builds each
shape's SELECT once and keeps it, so a query that repeats a shape (FindDocuments for another
patient) costs SQLAlchemy no expression building and no cache-key walk: just parameters.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Select,
    Table,
    and_,
    bindparam,
    exists,
    false,
    null,
    or_,
)
from sqlalchemy import select as sql_select

from registry.storage.access_facts import FACT_COLUMNS
from registry.storage.tables import associations, document_entries, metadata

Value = str | int


@dataclass(frozen=True, slots=True)
class Equals:
    column: Column[Any]
    value: Value


@dataclass(frozen=True, slots=True)
class OneOf:
    """`column IN (…)`; the values are one expanding parameter, so any number shares a shape."""

    column: Column[Any]
    values: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class AtLeast:
    column: Column[Any]
    value: Value


@dataclass(frozen=True, slots=True)
class Below:
    column: Column[Any]
    value: Value


@dataclass(frozen=True, slots=True)
class Like:
    column: Column[Any]
    pattern: str


@dataclass(frozen=True, slots=True)
class Never:
    """Matches nothing (an empty set of ids, statuses that were all unknown)."""


@dataclass(frozen=True, slots=True)
class AllOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Exists:
    """A row of a child table belongs to the object (`owner` = `parent`) and meets `conditions`."""

    owner: Column[Any]
    parent: Column[Any]
    conditions: tuple[Condition, ...]


Condition = Equals | OneOf | AtLeast | Below | Like | Never | AllOf | AnyOf | Exists


def _key(column: Column[Any]) -> tuple[str, str]:
    return (column.table.name, column.name)


def _column(key: tuple[str, str]) -> Column[Any]:
    table_name, column_name = key
    return metadata.tables[table_name].c[column_name]


def shape(condition: Condition) -> tuple[Any, ...]:
    """The condition without its values (columns by name): what decides the SQL text."""
    match condition:
        case Equals(column) | OneOf(column) | AtLeast(column) | Below(column) | Like(column):
            return (type(condition).__name__, _key(column))
        case AllOf(children) | AnyOf(children):
            return (type(condition).__name__, tuple(shape(c) for c in children))
        case Exists(owner, parent, children):
            return ("Exists", _key(owner), _key(parent), tuple(shape(c) for c in children))
    return ("Never",)


def _values(condition: Condition) -> Iterator[Value | list[Value]]:
    match condition:
        case Equals(_, value) | AtLeast(_, value) | Below(_, value):
            yield value
        case Like(_, pattern):
            yield pattern
        case OneOf(_, values):
            yield list(values)
        case AllOf(children) | AnyOf(children) | Exists(_, _, children):
            for child in children:
                yield from _values(child)


def parameters(conditions: Sequence[Condition], **extra: Value) -> dict[str, Any]:
    """The bound values of `conditions`, named as `where` and `select_hits` name them."""
    values = itertools.chain.from_iterable(_values(c) for c in conditions)
    return {f"p{i}": value for i, value in enumerate(values)} | extra


_LEAVES: dict[str, Callable[[Column[Any], str], ColumnElement[bool]]] = {
    "Equals": lambda column, name: column == bindparam(name),
    "OneOf": lambda column, name: column.in_(bindparam(name, expanding=True)),
    "AtLeast": lambda column, name: column >= bindparam(name),
    "Below": lambda column, name: column < bindparam(name),
    "Like": lambda column, name: column.like(bindparam(name)),
}


def _sql(shape_of: tuple[Any, ...], names: Iterator[str]) -> ColumnElement[bool]:
    kind = shape_of[0]
    if kind == "Never":
        return false()
    if kind in ("AllOf", "AnyOf"):
        children = [_sql(child, names) for child in shape_of[1]]
        return and_(*children) if kind == "AllOf" else or_(*children)
    if kind == "Exists":
        _, owner, parent, children = shape_of
        link = _column(owner) == _column(parent)
        return exists().where(link, *(_sql(child, names) for child in children))
    return _LEAVES[kind](_column(shape_of[1]), next(names))


def where(conditions: Sequence[Condition]) -> list[ColumnElement[bool]]:
    """SQL for `conditions` with parameters p0, p1, … (see `parameters`)."""
    names = (f"p{i}" for i in itertools.count())
    return [_sql(shape(c), names) for c in conditions]


def hit_columns(table: Table) -> tuple[ColumnElement[Any], ...]:
    """What a query hit reads: entryUUID, patient (NULL for associations) and the XML; for
    DocumentEntries also their access facts, for associations their ends."""
    patient = table.c.patient_id if "patient_id" in table.c else null()
    extra: tuple[ColumnElement[Any], ...] = ()
    if table is document_entries:
        extra = tuple(
            table.c[name] for name in FACT_COLUMNS if name not in ("entry_uuid", "patient_id")
        )
    elif table is associations:
        extra = (table.c.source_uuid, table.c.target_uuid)
    return (table.c.entry_uuid, patient.label("patient_id"), table.c.xml, *extra)


@functools.lru_cache(maxsize=1024)
def _cached_select(table_name: str, shapes: tuple[tuple[Any, ...], ...]) -> Select[Any]:
    table = metadata.tables[table_name]
    names = (f"p{i}" for i in itertools.count())
    return (
        sql_select(*hit_columns(table))
        .where(*(_sql(s, names) for s in shapes))
        .order_by(table.c.id)
        .limit(bindparam("limit"))
    )


def select_hits(table: Table, conditions: Sequence[Condition]) -> Select[Any]:
    """`SELECT hit columns FROM table WHERE … ORDER BY id LIMIT :limit`, built once per shape."""
    return _cached_select(table.name, tuple(shape(c) for c in conditions))
