"""DPoP (RFC 9449): sender-constrained tokens, and every way a proof is refused."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import pytest
from joserfc.jwk import ECKey, RSAKey

from tests.support.jose import (
    NOW,
    URL,
    TestIssuer,
    b64,
    b64json,
    dpop_headers,
    dpop_proof,
    make_authenticator,
)
from trustframework.context import AccessContext
from trustframework.dpop import normalise_htu
from trustframework.failures import AccessFailure, Reason


@pytest.fixture(scope="module")
def holder() -> ECKey:
    """The client's DPoP key."""
    return ECKey.generate_key("P-256", private=True)


@pytest.fixture(scope="module")
def bound_token(issuer: TestIssuer, holder: ECKey) -> str:
    return issuer.sign(issuer.claims(cnf={"jkt": holder.thumbprint()}))


def send(issuer: TestIssuer, headers: Any, *, method: str = "POST", url: str = URL) -> Any:
    return make_authenticator(issuer).authenticate(method, url, headers)


def reason_of(result: AccessContext | AccessFailure) -> Reason:
    assert isinstance(result, AccessFailure), result
    return result.reason


def test_a_bound_token_with_its_proof(issuer: TestIssuer, holder: ECKey, bound_token: str) -> None:
    context = send(issuer, dpop_headers(bound_token, holder))
    assert isinstance(context, AccessContext)
    assert context.dpop_jkt == holder.thumbprint()


def test_an_rsa_proof_key(issuer: TestIssuer) -> None:
    key = RSAKey.generate_key(2048, private=True)
    token = issuer.sign(issuer.claims(cnf={"jkt": key.thumbprint()}))
    assert isinstance(send(issuer, dpop_headers(token, key)), AccessContext)


def test_htu_is_compared_normalised_without_query(
    issuer: TestIssuer, holder: ECKey, bound_token: str
) -> None:
    headers = dpop_headers(bound_token, holder, url="HTTPS://Registry.Example:8443/xds/./registry")
    assert isinstance(send(issuer, headers, url=URL + "?wsdl#x"), AccessContext)


def test_proof_iat_may_lag_by_the_window(
    issuer: TestIssuer, holder: ECKey, bound_token: str
) -> None:
    headers = dpop_headers(bound_token, holder, iat=NOW - 60)
    assert isinstance(send(issuer, headers), AccessContext)


def _hmac_proof(token: str, holder: ECKey) -> str:
    header = {"typ": "dpop+jwt", "alg": "HS256", "jwk": holder.as_dict(private=False)}
    claims = {"jti": "j", "htm": "POST", "htu": URL, "iat": NOW}
    signing_input = f"{b64json(header)}.{b64json(claims)}"
    return f"{signing_input}.{b64(hmac.new(b'k', signing_input.encode(), hashlib.sha256).digest())}"


@pytest.mark.parametrize(
    ("make_headers", "reason"),
    [
        (lambda t, k, i: {"Authorization": f"DPoP {t}"}, Reason.DPOP_PROOF_MISSING),
        (
            lambda t, k, i: [
                ("Authorization", f"DPoP {t}"),
                ("DPoP", dpop_proof(k, token=t)),
                ("DPoP", dpop_proof(k, token=t)),
            ],
            Reason.DPOP_PROOF_MULTIPLE,
        ),
        (
            lambda t, k, i: {"Authorization": f"DPoP {t}", "DPoP": "x.y"},
            Reason.DPOP_PROOF_MALFORMED,
        ),
        (
            lambda t, k, i: dpop_headers(t, k, header={"typ": "JWT"}),
            Reason.DPOP_PROOF_INVALID_TYPE,
        ),
        (
            lambda t, k, i: {"Authorization": f"DPoP {t}", "DPoP": _hmac_proof(t, k)},
            Reason.DPOP_ALGORITHM_NOT_ALLOWED,
        ),
        (lambda t, k, i: dpop_headers(t, k, header={"jwk": None}), Reason.DPOP_KEY_INVALID),
        (
            lambda t, k, i: dpop_headers(t, k, header={"jwk": k.as_dict(private=True)}),
            Reason.DPOP_PRIVATE_KEY_IN_PROOF,
        ),
        (
            lambda t, k, i: dpop_headers(t, k, signer=ECKey.generate_key("P-256", private=True)),
            Reason.DPOP_SIGNATURE_INVALID,
        ),
        (
            lambda t, k, i: dpop_headers(t, ECKey.generate_key("P-256", private=True)),
            Reason.DPOP_KEY_MISMATCH,
        ),
        (lambda t, k, i: dpop_headers(t, k, method="GET"), Reason.DPOP_METHOD_MISMATCH),
        (
            lambda t, k, i: dpop_headers(t, k, url="https://registry.example/xds/registry"),
            Reason.DPOP_URL_MISMATCH,
        ),
        (
            lambda t, k, i: dpop_headers(t, k, url="https://registry.example:8443/xds/repository"),
            Reason.DPOP_URL_MISMATCH,
        ),
        (lambda t, k, i: dpop_headers(t, k, iat=NOW - 200), Reason.DPOP_PROOF_TOO_OLD),
        (lambda t, k, i: dpop_headers(t, k, iat=NOW + 120), Reason.DPOP_PROOF_FROM_FUTURE),
        (lambda t, k, i: dpop_headers(t, k, claims={"ath": None}), Reason.DPOP_ATH_MISSING),
        (
            lambda t, k, i: dpop_headers(t, k, claims={"ath": b64(b"\0" * 32)}),
            Reason.DPOP_ATH_MISMATCH,
        ),
        (lambda t, k, i: dpop_headers(t, k, claims={"jti": None}), Reason.DPOP_CLAIM_MISSING),
        (
            lambda t, k, i: dpop_headers(t, k, claims={"iat": float("nan")}),
            Reason.DPOP_CLAIM_MISSING,
        ),
        (lambda t, k, i: {"Authorization": f"Bearer {t}"}, Reason.DPOP_BOUND_TOKEN_USED_AS_BEARER),
        (
            lambda t, k, i: dpop_headers(i.sign(i.claims()), k),
            Reason.TOKEN_NOT_DPOP_BOUND,
        ),
        (
            lambda t, k, i: {
                "Authorization": f"Bearer {i.sign(i.claims())}",
                "DPoP": dpop_proof(k, token=t),
            },
            Reason.DPOP_PROOF_WITH_BEARER_TOKEN,
        ),
    ],
)
def test_refused_proofs(
    issuer: TestIssuer, holder: ECKey, bound_token: str, make_headers: Any, reason: Reason
) -> None:
    result = send(issuer, make_headers(bound_token, holder, issuer))
    assert reason_of(result) is reason


def test_a_proof_is_good_once(issuer: TestIssuer, holder: ECKey, bound_token: str) -> None:
    authenticator = make_authenticator(issuer)
    headers = dpop_headers(bound_token, holder)
    assert isinstance(authenticator.authenticate("POST", URL, headers), AccessContext)
    failure = authenticator.authenticate("POST", URL, headers)
    assert reason_of(failure) is Reason.DPOP_PROOF_REPLAYED
    assert isinstance(failure, AccessFailure)
    assert failure.www_authenticate() == (
        'DPoP realm="dokdeling", error="invalid_dpop_proof", '
        'error_description="dpop_proof_replayed", algs="RS256 PS256 ES256"'
    )


def test_a_refused_proof_does_not_use_up_its_jti(
    issuer: TestIssuer, holder: ECKey, bound_token: str
) -> None:
    authenticator = make_authenticator(issuer)
    proof = dpop_proof(holder, token=bound_token)
    headers = {"Authorization": f"DPoP {bound_token}", "DPoP": proof}
    assert reason_of(authenticator.authenticate("GET", URL, headers)) is (
        Reason.DPOP_METHOD_MISMATCH
    )
    assert isinstance(authenticator.authenticate("POST", URL, headers), AccessContext)


def test_dpop_can_be_required(issuer: TestIssuer) -> None:
    token = issuer.sign(issuer.claims())
    authenticator = make_authenticator(issuer, require_dpop=True)
    result = authenticator.authenticate("POST", URL, {"Authorization": f"Bearer {token}"})
    assert reason_of(result) is Reason.DPOP_REQUIRED


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("https://Example.COM:443/a/b?q=1#f", "https://example.com/a/b"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8010/x/../y/%7euser/%2f", "http://example.com:8010/y/~user/%2F"),
        ("https://[::1]:8443/p/.", "https://[::1]:8443/p/"),
    ],
)
def test_normalise_htu(url: str, normalised: str) -> None:
    assert normalise_htu(url) == normalised


@pytest.mark.parametrize("url", ["ftp://example.com/", "/relative", "https:///nohost"])
def test_normalise_htu_refuses_what_is_no_http_url(url: str) -> None:
    with pytest.raises(ValueError, match="not an http"):
        normalise_htu(url)
