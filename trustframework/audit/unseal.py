"""Opening a record's sealed attest, for those entitled to it (auditors, exports)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trustframework.audit.record import AuditRecord
from trustframework.audit.sealing import AuditKeyring


@dataclass(frozen=True, slots=True, kw_only=True)
class Unsealed:
    """The sealed content of a record: the attest claim and the caller's national id."""

    attest: dict[str, Any] | None
    person: dict[str, Any] | None

    @property
    def national_id(self) -> str | None:
        """The acting person's national id: the attest's practitioner, else the token's pid."""
        if self.attest is not None:
            identifier = self.attest.get("practitioner", {}).get("identifier", {})
            if isinstance(identifier.get("id"), str):
                return str(identifier["id"])
        if self.person is not None and isinstance(self.person.get("id"), str):
            return str(self.person["id"])
        return None


def unseal(keyring: AuditKeyring, record: AuditRecord) -> Unsealed:
    """Raises `AuditKeyError` when the key is missing or the ciphertext was changed."""
    content = keyring.unseal(record.service, record.entry.record_id, record.entry.sealed)
    return Unsealed(attest=content.get("attest"), person=content.get("person"))
