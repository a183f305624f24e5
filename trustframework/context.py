"""What a verified access token says: who calls (Principal) and with which rights (AccessContext).

`Authenticator.authenticate` builds these from a HelseID-shaped access token whose signature,
issuer, audience, lifetime and DPoP binding it has checked; the access policy (`decide`) and the
audit read them. Nothing here is trusted unless it came out of `authenticate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from trustframework.attest import Attest

# --------------------------------------------------------------------------- HelseID claims
CLAIM_PID: Final = "helseid://claims/identity/pid"
CLAIM_SECURITY_LEVEL: Final = "helseid://claims/identity/security_level"
CLAIM_HPR_NUMBER: Final = "helseid://claims/hpr/hpr_number"
CLAIM_ORGNR_PARENT: Final = "helseid://claims/client/claims/orgnr_parent"
CLAIM_ORGNR_CHILD: Final = "helseid://claims/client/claims/orgnr_child"
CLAIM_CLIENT_NAME: Final = "helseid://claims/client/client_name"
REQUIRED_SECURITY_LEVEL: Final = "4"


class Role(StrEnum):
    """Who the token speaks for."""

    SYSTEM = "system"  # a client with no person: publishing systems (client credentials)
    PERSONNEL = "personnel"  # health personnel logged in through HelseID
    CITIZEN = "citizen"  # a citizen reading their own documents (scope `…/citizen`)


@dataclass(frozen=True, slots=True, kw_only=True)
class Principal:
    """The caller: the client, and the person (with HPR number for personnel) when there is one."""

    role: Role
    client_id: str
    client_name: str | None = None
    orgnr_parent: str | None = None
    orgnr_child: str | None = None
    pid: str | None = None
    hpr_number: str | None = None
    name: str | None = None
    security_level: str | None = None

    @property
    def is_citizen(self) -> bool:
        return self.role is Role.CITIZEN

    @property
    def is_person(self) -> bool:
        return self.role is not Role.SYSTEM


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessContext:
    """A verified access token: principal, scopes, attest, and the token's own facts."""

    principal: Principal
    scopes: frozenset[str]
    attest: Attest | None
    issuer: str
    token_id: str
    expires_at: datetime
    dpop_jkt: str | None = None

    @property
    def is_citizen(self) -> bool:
        return self.principal.is_citizen

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
