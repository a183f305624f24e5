"""Access tokens already verified, kept by their exact text until they expire.

Verifying a token (JWS parse, signature, claims, principal, attest) costs far more than the
request it guards, and a client sends the same token with every request until it expires. So the
`Authenticator` keeps what it verified under the token's exact text. An entry is used only while

- the token has not expired (`exp`, with the configured clock skew, checked at every use), and
- no longer than `max_age` seconds after it was verified (the JWKS cache time: a key the issuer
  withdrew stops being trusted for new and kept tokens alike).

A changed token (another signature, claim or byte) is another key and is verified in full. What
depends on the request, the DPoP proof above all, is still checked at every request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from trustframework import context as c
from trustframework.attest import Attest


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifiedToken:
    """What one verification of a token established (its claims are read, never changed)."""

    claims: dict[str, Any]
    principal: c.Principal
    scopes: frozenset[str]
    attest: Attest | None
    usable_until: float
    """Seconds since the epoch: the earlier of `exp` + clock skew and verification + max_age."""


class VerifiedTokens:
    """A bounded, thread-safe map of token text to `VerifiedToken`."""

    def __init__(self, *, max_entries: int = 10_000) -> None:
        self._max_entries = max_entries
        self._entries: dict[str, VerifiedToken] = {}
        self._lock = threading.Lock()

    def get(self, token: str, now: float) -> VerifiedToken | None:
        """The kept verification of `token`, when it is still usable at `now`."""
        found = self._entries.get(token)
        if found is None:
            return None
        if now > found.usable_until:
            with self._lock:
                self._entries.pop(token, None)
            return None
        return found

    def keep(self, token: str, verified: VerifiedToken, now: float) -> None:
        with self._lock:
            if len(self._entries) >= self._max_entries:
                self._drop_unusable(now)
            if len(self._entries) >= self._max_entries:
                self._entries.clear()  # all usable: start again rather than grow without bound
            self._entries[token] = verified

    def _drop_unusable(self, now: float) -> None:
        for token in [t for t, v in self._entries.items() if now > v.usable_until]:
            del self._entries[token]
