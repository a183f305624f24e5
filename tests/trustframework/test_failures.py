"""Every machine reason maps to one HTTP status and a fitting challenge."""

from __future__ import annotations

import pytest

from trustframework.failures import AUTH_SCHEME_DPOP, AccessFailure, Reason, http_status


@pytest.mark.parametrize("reason", list(Reason))
def test_every_reason_has_a_status_and_a_consistent_challenge(reason: Reason) -> None:
    failure = AccessFailure(reason=reason, detail="x")
    assert failure.status in (401, 403, 503)
    challenge = failure.www_authenticate()
    if failure.status == 401:
        assert challenge is not None
        assert challenge.startswith('Bearer realm="dokdeling"')
    elif reason is Reason.INSUFFICIENT_SCOPE:
        assert challenge is not None
        assert 'error="insufficient_scope"' in challenge
    else:
        assert challenge is None


@pytest.mark.parametrize(
    ("reason", "status"),
    [
        (Reason.TOKEN_EXPIRED, 401),
        (Reason.DPOP_PROOF_REPLAYED, 401),
        (Reason.ATTESTATION_HAS_EXPIRED, 403),
        (Reason.PATIENT_NOT_BOUND_TO_ATTEST, 403),
        (Reason.PRACTITIONER_BLOCKED_BY_PATIENT, 403),
        (Reason.ATTEST_INVALID_CODE_SYSTEM, 403),
        (Reason.JWKS_UNAVAILABLE, 503),
    ],
)
def test_status_of_reasons_named_in_the_interface(reason: Reason, status: int) -> None:
    assert http_status(reason) == status


def test_dpop_challenge_names_the_algorithms() -> None:
    failure = AccessFailure(reason=Reason.DPOP_KEY_MISMATCH, detail="", scheme=AUTH_SCHEME_DPOP)
    assert failure.www_authenticate() == (
        'DPoP realm="dokdeling", error="invalid_dpop_proof", '
        'error_description="dpop_key_mismatch", algs="RS256 PS256 ES256"'
    )
    assert failure.is_authentication_failure
