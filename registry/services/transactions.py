"""Running a write request in one transaction, again when a concurrent writer got in the way."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from registry.entries import WriteConflict
from registry.interfaces import RegistryStore, RegistryTransaction
from schemas.errors import XdsErrorCode, XdsFailure

T = TypeVar("T")


def in_transaction(
    store: RegistryStore, work: Callable[[RegistryTransaction], T], *, attempts: int
) -> T:
    """`work` inside one store transaction: all of it is stored, or nothing.

    An `XdsFailure` raised by `work` rolls the transaction back and propagates. A `WriteConflict`
    (another request committed a clashing write first) runs `work` again on a fresh transaction,
    where the rules see the other request's result; after `attempts` conflicts the request fails
    with XDSRegistryBusy.
    """
    for _ in range(attempts):
        try:
            with store.transaction() as transaction:
                return work(transaction)
        except WriteConflict:
            continue
    raise XdsFailure.of(
        XdsErrorCode.REGISTRY_BUSY,
        f"concurrent requests changed the same registry objects {attempts} times in a row; "
        "send the request again",
    )
