"""A test token issuer: RSA and EC keys, a JWKS file, and signed (or forged) access tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.jwk import ECKey, Key, RSAKey

from trustframework.context import CLAIM_PID, CLAIM_SECURITY_LEVEL
from trustframework.dpop import access_token_hash
from trustframework.jwks import IssuerKeys, JwksSource
from trustframework.replay import InMemoryReplayCache, ReplayCache
from trustframework.settings import TrustSettings
from trustframework.tokens import Authenticator

ISSUER = "https://helseid-sts.test.example"
AUDIENCE = "dokdeling"
NOW = 1_780_000_000
URL = "https://registry.example:8443/xds/registry"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64json(value: Any) -> str:
    return b64(json.dumps(value, separators=(",", ":")).encode())


class TestIssuer:
    """Keys for RS256, PS256 and ES256, published as a JWKS file."""

    __test__ = False

    def __init__(self, folder: Path) -> None:
        self.rsa = RSAKey.generate_key(2048, {"kid": "rsa-1"}, private=True)
        self.ec = ECKey.generate_key("P-256", {"kid": "ec-1"}, private=True)
        self.jwks_path = folder / "jwks.json"
        self.publish(self.rsa, self.ec)

    def publish(self, *keys: Key) -> None:
        document = {"keys": [key.as_dict(private=False) for key in keys]}
        self.jwks_path.write_text(json.dumps(document), encoding="utf-8")

    def claims(self, **overrides: Any) -> dict[str, Any]:
        """A valid system (publisher) token's claims; `None` values remove a claim."""
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": NOW - 10,
            "nbf": NOW - 10,
            "exp": NOW + 300,
            "jti": "token-1",
            "client_id": "epj-1",
            "scope": ["dokdeling/publish"],
        }
        claims.update(overrides)
        return {name: value for name, value in claims.items() if value is not None}

    def person_claims(self, pid: str, **overrides: Any) -> dict[str, Any]:
        return self.claims(**{CLAIM_PID: pid, CLAIM_SECURITY_LEVEL: "4", **overrides})

    def sign(
        self, claims: dict[str, Any], *, alg: str = "RS256", header: dict[str, Any] | None = None
    ) -> str:
        key: Key = self.ec if alg.startswith("ES") else self.rsa
        protected = {"alg": alg, "typ": "at+jwt", "kid": key.kid, **(header or {})}
        protected = {name: value for name, value in protected.items() if value is not None}
        return jwt.encode(protected, claims, key, algorithms=[alg], default_type=None)


def forged_unsigned(claims: dict[str, Any]) -> str:
    """`alg: none`, the oldest trick."""
    return f"{b64json({'alg': 'none', 'typ': 'at+jwt', 'kid': 'rsa-1'})}.{b64json(claims)}."


def forged_hmac_with_public_key(claims: dict[str, Any], public_pem: bytes) -> str:
    """HS256 keyed with the issuer's RSA public key (algorithm confusion)."""
    header = {"alg": "HS256", "typ": "at+jwt", "kid": "rsa-1"}
    signing_input = f"{b64json(header)}.{b64json(claims)}"
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def make_authenticator(
    issuer: TestIssuer,
    *,
    clock: Callable[[], float] = lambda: NOW,
    replay_cache: ReplayCache | None = None,
    **settings: Any,
) -> Authenticator:
    trust = TrustSettings(issuers=(ISSUER,), jwks=(str(issuer.jwks_path),), **settings)
    source = JwksSource(str(issuer.jwks_path), clock=clock)
    return Authenticator(
        trust,
        keys=IssuerKeys({ISSUER: source}),
        replay_cache=replay_cache or InMemoryReplayCache(clock=clock),
        clock=clock,
    )


def dpop_proof(
    key: Key,
    *,
    token: str,
    method: str = "POST",
    url: str = URL,
    iat: int = NOW,
    header: dict[str, Any] | None = None,
    claims: dict[str, Any] | None = None,
    signer: Key | None = None,
) -> str:
    """A DPoP proof for `token`; `header`/`claims` change members (None removes one)."""
    alg = "ES256" if isinstance(key, ECKey) else "RS256"
    protected = {"typ": "dpop+jwt", "alg": alg, "jwk": key.as_dict(private=False), **(header or {})}
    payload = {
        "jti": uuid.uuid4().hex,
        "htm": method,
        "htu": url,
        "iat": iat,
        "ath": access_token_hash(token),
        **(claims or {}),
    }
    protected = {name: value for name, value in protected.items() if value is not None}
    payload = {name: value for name, value in payload.items() if value is not None}
    return jwt.encode(protected, payload, signer or key, algorithms=[alg], default_type=None)


def dpop_headers(token: str, key: Key, **proof: Any) -> dict[str, str]:
    """`Authorization: DPoP <token>` with a proof made by `dpop_proof`."""
    return {"Authorization": f"DPoP {token}", "DPoP": dpop_proof(key, token=token, **proof)}
