"""The kept verifications of access tokens: used only while usable, and bounded."""

from __future__ import annotations

from trustframework.context import Principal, Role
from trustframework.verified_tokens import VerifiedToken, VerifiedTokens


def verified(usable_until: float) -> VerifiedToken:
    principal = Principal(role=Role.SYSTEM, client_id="epj-1")
    return VerifiedToken(
        claims={}, principal=principal, scopes=frozenset(), attest=None, usable_until=usable_until
    )


def test_a_kept_verification_is_used_until_its_time_only() -> None:
    tokens = VerifiedTokens()
    tokens.keep("a.b.c", verified(100.0), now=0.0)

    assert tokens.get("a.b.c", 100.0) is not None
    assert tokens.get("a.b.d", 100.0) is None
    assert tokens.get("a.b.c", 100.5) is None
    assert tokens.get("a.b.c", 50.0) is None  # dropped once unusable


def test_a_full_cache_drops_what_is_no_longer_usable_first() -> None:
    tokens = VerifiedTokens(max_entries=2)
    tokens.keep("old", verified(10.0), now=0.0)
    tokens.keep("live", verified(100.0), now=0.0)

    tokens.keep("new", verified(100.0), now=20.0)

    assert tokens.get("live", 20.0) is not None
    assert tokens.get("new", 20.0) is not None
    assert tokens.get("old", 5.0) is None
