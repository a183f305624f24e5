"""Access-token validation: what passes, and each way a token is refused with its own reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from tests.support.attests import attest_claim
from tests.support.jose import (
    ISSUER,
    NOW,
    URL,
    TestIssuer,
    forged_hmac_with_public_key,
    forged_unsigned,
    make_authenticator,
)
from tests.support.people import CITIZEN, GP
from trustframework.attest import ATTEST_CLAIM
from trustframework.context import (
    CLAIM_HPR_NUMBER,
    CLAIM_ORGNR_PARENT,
    CLAIM_SECURITY_LEVEL,
    AccessContext,
    Role,
)
from trustframework.failures import AccessFailure, Reason
from trustframework.jwks import IssuerKeys, JwksSource
from trustframework.replay import InMemoryReplayCache
from trustframework.settings import TrustSettings
from trustframework.tokens import Authenticator


def authenticate(issuer: TestIssuer, token: str, **settings: Any) -> AccessContext | AccessFailure:
    return make_authenticator(issuer, **settings).authenticate(
        "POST", URL, {"Authorization": f"Bearer {token}"}
    )


def refused(result: AccessContext | AccessFailure) -> AccessFailure:
    assert isinstance(result, AccessFailure), result
    return result


@pytest.mark.parametrize("alg", ["RS256", "PS256", "ES256"])
def test_a_system_token_signed_with_each_allowed_algorithm(issuer: TestIssuer, alg: str) -> None:
    claims = issuer.claims(**{CLAIM_ORGNR_PARENT: "999100009"})
    context = authenticate(issuer, issuer.sign(claims, alg=alg))
    assert isinstance(context, AccessContext)
    assert context.principal.role is Role.SYSTEM
    assert context.principal.client_id == "epj-1"
    assert context.principal.orgnr_parent == "999100009"
    assert context.scopes == {"dokdeling/publish"}
    assert context.attest is None
    assert context.dpop_jkt is None


def test_personnel_with_attest_and_space_separated_scopes(issuer: TestIssuer) -> None:
    claims = issuer.person_claims(
        GP,
        scope="dokdeling/read-documentreferences dokdeling/read-document",
        **{CLAIM_HPR_NUMBER: "9144900", ATTEST_CLAIM: attest_claim(toa=NOW - 60)},
    )
    context = authenticate(issuer, issuer.sign(claims, header={"typ": "application/at+jwt"}))
    assert isinstance(context, AccessContext)
    assert context.principal.role is Role.PERSONNEL
    assert context.principal.hpr_number == "9144900"
    assert context.scopes == {"dokdeling/read-documentreferences", "dokdeling/read-document"}
    assert context.attest is not None
    assert context.attest.practitioner.identifier.id == GP


def test_citizen(issuer: TestIssuer) -> None:
    claims = issuer.person_claims(CITIZEN, scope="dokdeling/citizen")
    context = authenticate(issuer, issuer.sign(claims))
    assert isinstance(context, AccessContext)
    assert context.is_citizen
    assert context.principal.pid == CITIZEN


def test_the_issuer_key_is_taken_as_the_key_set_says_and_audience_may_be_a_list(
    issuer: TestIssuer,
) -> None:
    token = issuer.sign(issuer.claims(aud=["other", "dokdeling"]))
    assert isinstance(authenticate(issuer, token), AccessContext)


def _public_pem(issuer: TestIssuer) -> bytes:
    public = issuer.rsa.public_key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.mark.parametrize(
    ("token_of", "reason"),
    [
        (lambda i: forged_unsigned(i.claims()), Reason.ALGORITHM_NOT_ALLOWED),
        (
            lambda i: forged_hmac_with_public_key(i.claims(), _public_pem(i)),
            Reason.ALGORITHM_NOT_ALLOWED,
        ),
        (lambda i: i.sign(i.claims(), alg="RS384"), Reason.ALGORITHM_NOT_ALLOWED),
        (lambda i: i.sign(i.claims(), header={"typ": "JWT"}), Reason.INVALID_TOKEN_TYPE),
        (lambda i: i.sign(i.claims(), header={"typ": None}), Reason.INVALID_TOKEN_TYPE),
        (lambda i: i.sign(i.claims(), header={"kid": None}), Reason.KEY_ID_MISSING),
        (lambda i: i.sign(i.claims(), header={"kid": "rotated-away"}), Reason.UNKNOWN_KEY),
        (lambda i: i.sign(i.claims(), header={"kid": "ec-1"}), Reason.KEY_ALGORITHM_MISMATCH),
        (lambda i: i.sign(i.claims(iss="https://evil.example")), Reason.UNTRUSTED_ISSUER),
        (lambda i: i.sign(i.claims(aud="nhn:phr-repo")), Reason.INVALID_AUDIENCE),
        (lambda i: i.sign(i.claims(exp=NOW - 61)), Reason.TOKEN_EXPIRED),
        (lambda i: i.sign(i.claims(nbf=NOW + 61)), Reason.TOKEN_NOT_YET_VALID),
        (lambda i: i.sign(i.claims(iat=NOW + 61)), Reason.TOKEN_ISSUED_IN_FUTURE),
        (lambda i: i.sign(i.claims(client_id=None)), Reason.MISSING_CLAIM),
        (lambda i: i.sign(i.claims(exp=None)), Reason.MISSING_CLAIM),
        (lambda i: i.sign(i.claims(scope=42)), Reason.INVALID_CLAIM),
        (lambda i: i.sign(i.claims(exp=10**20)), Reason.INVALID_CLAIM),
        (lambda i: i.sign(i.claims(cnf={"x5t#S256": "abc"})), Reason.INVALID_CLAIM),
        (
            lambda i: i.sign(i.person_claims(GP, **{CLAIM_SECURITY_LEVEL: "3"})),
            Reason.INSUFFICIENT_SECURITY_LEVEL,
        ),
        (
            lambda i: i.sign(i.claims(scope="dokdeling/citizen")),
            Reason.MISSING_CLAIM,
        ),
        (
            lambda i: i.sign(
                i.person_claims(CITIZEN, scope="dokdeling/citizen", **{CLAIM_HPR_NUMBER: "1"})
            ),
            Reason.AMBIGUOUS_PRINCIPAL,
        ),
        (
            lambda i: i.sign(
                i.person_claims(
                    CITIZEN, scope="dokdeling/citizen", **{ATTEST_CLAIM: attest_claim(toa=NOW)}
                )
            ),
            Reason.AMBIGUOUS_PRINCIPAL,
        ),
        (
            lambda i: i.sign(i.person_claims(GP, **{ATTEST_CLAIM: {"practitioner": {}}})),
            Reason.ATTEST_REQUIRED_FIELD_MISSING,
        ),
        (lambda i: "not-a-jwt", Reason.TOKEN_MALFORMED),
        (lambda i: "a.b.c", Reason.TOKEN_MALFORMED),
    ],
)
def test_refused_tokens(issuer: TestIssuer, token_of: Any, reason: Reason) -> None:
    assert refused(authenticate(issuer, token_of(issuer))).reason is reason


def test_a_tampered_payload_breaks_the_signature(issuer: TestIssuer) -> None:
    header, _, signature = issuer.sign(issuer.claims()).split(".")
    payload = issuer.sign(issuer.claims(scope="dokdeling/admin")).split(".")[1]
    failure = refused(authenticate(issuer, f"{header}.{payload}.{signature}"))
    assert failure.reason is Reason.INVALID_SIGNATURE
    assert failure.status == 401
    assert failure.www_authenticate() == (
        'Bearer realm="dokdeling", error="invalid_token", error_description="invalid_signature"'
    )


def test_the_clock_skew_is_configurable(issuer: TestIssuer) -> None:
    token = issuer.sign(issuer.claims(exp=NOW - 30))
    assert isinstance(authenticate(issuer, token), AccessContext)
    assert refused(authenticate(issuer, token, clock_skew_seconds=0)).reason is Reason.TOKEN_EXPIRED


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, Reason.CREDENTIALS_MISSING),
        ({"Authorization": "Bearer"}, Reason.AUTHORIZATION_HEADER_MALFORMED),
        ({"Authorization": "Bearer a b"}, Reason.AUTHORIZATION_HEADER_MALFORMED),
        ({"Authorization": "Basic dXNlcjpwdw=="}, Reason.AUTHORIZATION_SCHEME_UNSUPPORTED),
    ],
)
def test_the_authorization_header(
    issuer: TestIssuer, headers: dict[str, str], reason: Reason
) -> None:
    result = make_authenticator(issuer).authenticate("POST", URL, headers)
    assert refused(result).reason is reason


def test_two_authorization_headers_are_refused(issuer: TestIssuer) -> None:
    token = issuer.sign(issuer.claims())
    headers = [("Authorization", f"Bearer {token}"), ("authorization", f"Bearer {token}")]
    result = make_authenticator(issuer).authenticate("POST", URL, headers)
    assert refused(result).reason is Reason.AUTHORIZATION_HEADER_MALFORMED


def test_no_credentials_gets_a_plain_challenge(issuer: TestIssuer) -> None:
    failure = refused(make_authenticator(issuer).authenticate("POST", URL, {}))
    assert failure.www_authenticate() == 'Bearer realm="dokdeling"'


def test_an_invalid_attest_is_an_authorization_failure(issuer: TestIssuer) -> None:
    claims = issuer.person_claims(GP, **{ATTEST_CLAIM: attest_claim(toa=NOW, purpose="TREAT")})
    claims[ATTEST_CLAIM]["care_relationship"]["purpose_of_use"]["system"] = "urn:oid:1.2.3"
    failure = refused(authenticate(issuer, issuer.sign(claims)))
    assert failure.reason is Reason.ATTEST_INVALID_CODE_SYSTEM
    assert failure.status == 403
    assert "care_relationship.purpose_of_use.system" in failure.detail
    assert failure.www_authenticate() is None


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = float(NOW)

    def __call__(self) -> float:
        return self.now


def test_a_verified_token_is_kept_until_it_expires(issuer: TestIssuer) -> None:
    clock = Clock()
    authenticator = make_authenticator(issuer, clock=clock, clock_skew_seconds=30)
    headers = {"Authorization": f"Bearer {issuer.sign(issuer.claims())}"}

    first = authenticator.authenticate("POST", URL, headers)
    clock.now = NOW + 300 + 30  # exp + skew: still valid
    again = authenticator.authenticate("POST", URL, headers)
    clock.now = NOW + 300 + 31
    expired = authenticator.authenticate("POST", URL, headers)

    assert isinstance(first, AccessContext)
    assert again == first
    assert refused(expired).reason is Reason.TOKEN_EXPIRED


def test_a_kept_token_is_verified_again_after_the_key_cache_time(tmp_path: Path) -> None:
    withdrawing = TestIssuer(tmp_path)
    clock = Clock()
    trust = TrustSettings(
        issuers=(ISSUER,), jwks=(str(withdrawing.jwks_path),), jwks_cache_seconds=60
    )
    source = JwksSource(str(withdrawing.jwks_path), cache_seconds=60, clock=clock)
    authenticator = Authenticator(
        trust,
        keys=IssuerKeys({ISSUER: source}),
        replay_cache=InMemoryReplayCache(clock=clock),
        clock=clock,
    )
    headers = {"Authorization": f"Bearer {withdrawing.sign(withdrawing.claims())}"}
    assert isinstance(authenticator.authenticate("POST", URL, headers), AccessContext)

    withdrawing.publish(withdrawing.ec)  # the issuer withdraws the RSA key
    clock.now = NOW + 59
    kept = authenticator.authenticate("POST", URL, headers)
    clock.now = NOW + 61
    withdrawn = authenticator.authenticate("POST", URL, headers)

    assert isinstance(kept, AccessContext)
    assert refused(withdrawn).reason is Reason.UNKNOWN_KEY
