"""Query conditions: one SELECT per shape, values as parameters in a fixed order."""

from __future__ import annotations

from registry.storage.conditions import (
    AllOf,
    AnyOf,
    Condition,
    Equals,
    Exists,
    Like,
    Never,
    OneOf,
    parameters,
    select_hits,
    shape,
)
from registry.storage.tables import document_author_persons, document_entries

D = document_entries
A = document_author_persons


def _for(patient: str, statuses: tuple[str, ...], author: str) -> list[Condition]:
    return [
        Equals(D.c.patient_id, patient),
        OneOf(D.c.status, statuses),
        Exists(A.c.document_id, D.c.id, (AnyOf((Like(A.c.author_person, author),)),)),
    ]


def test_one_select_per_shape_whatever_the_values() -> None:
    first = _for("P1^^^&1.2&ISO", ("Approved",), "%Lege%")
    second = _for("P2^^^&1.2&ISO", ("Approved", "Deprecated"), "%Hansen%")

    assert [shape(c) for c in first] == [shape(c) for c in second]
    assert select_hits(D, first) is select_hits(D, second)
    assert parameters(second, limit=11) == {
        "p0": "P2^^^&1.2&ISO",
        "p1": ["Approved", "Deprecated"],
        "p2": "%Hansen%",
        "limit": 11,
    }


def test_a_different_shape_is_another_select() -> None:
    plain = [Equals(D.c.patient_id, "P1")]
    either = [AnyOf((Equals(D.c.patient_id, "P1"), AllOf((Never(),))))]

    assert select_hits(D, plain) is not select_hits(D, either)
