"""`Authenticator.authenticate(method, url, headers)`: a request's access token, checked.

The services' HTTP edge calls it once per request and gets an AccessContext or an AccessFailure
(401/403/503 with a machine reason). Checks, in order (docs/trustframework.md §1):

1. `Authorization: Bearer <jwt>` or `Authorization: DPoP <jwt>`, exactly one header;
2. the JWS: `alg` RS256/PS256/ES256 only (never `none` or HMAC, so a token "signed" with an RSA
   public key as HMAC secret never reaches a verifier), `typ` `at+jwt`, a `kid`;
3. `iss` among the trusted issuers, its key from that issuer's JWKS, the signature (joserfc);
4. `aud`, `exp`, `nbf`, `iat` with the configured clock skew, `client_id` and `jti` present;
5. sender constraint: a token with `cnf.jkt` only with the DPoP scheme and a valid proof
   (trustframework.dpop); a DPoP proof beside a Bearer token is refused as ambiguous;
6. the principal: system (no `pid`), health personnel, or citizen (scope `…/citizen`); any
   person needs security level 4;
7. the attest claim, when present, parsed and checked (trustframework.attest).
Steps 2-4, 6 and 7 depend on the token alone: their result is kept under the token's exact text
until it expires (trustframework.verified_tokens), so a client's next request with the same token
is checked against `exp` and its sender constraint (step 5, the DPoP proof) only.
Whether the caller may do what it asks is the access policy's question (trustframework.policy).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from joserfc.errors import ClaimError, ExpiredTokenError, MissingClaimError
from joserfc.jwt import JWTClaimsRegistry

from trustframework import context as c
from trustframework.attest import ATTEST_CLAIM, Attest, InvalidAttest, parse_attest
from trustframework.dpop import DpopRejected, DpopRequest, verify_dpop_proof
from trustframework.failures import (
    AUTH_SCHEME_BEARER,
    AUTH_SCHEME_DPOP,
    SIGNING_ALGORITHMS,
    AccessFailure,
    Reason,
)
from trustframework.jwks import IssuerKeys, JwksSource, JwksUnavailable, UnknownKey
from trustframework.replay import ReplayCache, ReplayCacheUnavailable, replay_cache_from_url
from trustframework.settings import TrustSettings
from trustframework.signatures import KeyUnusable, read_compact, signature_verifies
from trustframework.verified_tokens import VerifiedToken, VerifiedTokens

HeaderInput = Mapping[str, str] | Iterable[tuple[str, str]]
ACCESS_TOKEN_TYPES = frozenset({"at+jwt", "application/at+jwt"})
_ELEVEN_DIGITS = re.compile(r"\d{11}")
_DIGITS = re.compile(r"\d{1,12}")
_LATEST_TIME = 253_402_300_799  # 9999-12-31T23:59:59Z, the last time a datetime can hold
_CLAIM_REASONS = {
    "iss": Reason.UNTRUSTED_ISSUER,
    "aud": Reason.INVALID_AUDIENCE,
    "nbf": Reason.TOKEN_NOT_YET_VALID,
    "iat": Reason.TOKEN_ISSUED_IN_FUTURE,
}


class _Refused(Exception):
    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class Authenticator:
    """Verifies access tokens and DPoP proofs against TrustSettings; safe to share by threads."""

    def __init__(
        self,
        settings: TrustSettings,
        *,
        keys: IssuerKeys,
        replay_cache: ReplayCache,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.keys = keys
        self.replay_cache = replay_cache
        self.clock = clock
        self.verified_tokens = VerifiedTokens()

    @classmethod
    def from_settings(cls, settings: TrustSettings) -> Authenticator:
        """JWKS sources (one per distinct location) and the replay cache the settings name."""
        sources: dict[str, JwksSource] = {}
        for issuer in settings.issuers:
            location = settings.jwks_of(issuer)
            if location not in sources:
                sources[location] = JwksSource(
                    location,
                    ca_file=settings.jwks_ca_file,
                    cache_seconds=settings.jwks_cache_seconds,
                    min_refresh_seconds=settings.jwks_min_refresh_seconds,
                )
        keys = IssuerKeys({iss: sources[settings.jwks_of(iss)] for iss in settings.issuers})
        replay_cache = replay_cache_from_url(settings.replay_cache_url)
        return cls(settings, keys=keys, replay_cache=replay_cache)

    def authenticate(
        self, method: str, url: str, headers: HeaderInput
    ) -> c.AccessContext | AccessFailure:
        """The verified caller of this request, or why it is refused.

        `url` is the URL as the client addressed it (scheme, host, port, path), which a DPoP
        proof's `htu` must name; behind a proxy, pass the external URL.
        """
        request_headers = _Headers(headers)
        scheme = AUTH_SCHEME_BEARER
        try:
            scheme, token = _credentials(request_headers)
            return self._verify(method, url, scheme, token, request_headers)
        except _Refused as refused:
            return AccessFailure(reason=refused.reason, detail=refused.detail, scheme=scheme)

    def _verify(
        self, method: str, url: str, scheme: str, token: str, headers: _Headers
    ) -> c.AccessContext:
        now = self.clock()
        verified = self.verified_tokens.get(token, now)
        if verified is None:
            verified = self._verified_token(token, now)
            self.verified_tokens.keep(token, verified, now)
        claims = verified.claims
        jkt = self._sender_constraint(
            scheme=scheme, token=token, claims=claims, headers=headers, method=method, url=url
        )
        return c.AccessContext(
            principal=verified.principal,
            scopes=verified.scopes,
            attest=verified.attest,
            issuer=claims["iss"],
            token_id=claims["jti"],
            expires_at=datetime.fromtimestamp(claims["exp"], UTC),
            dpop_jkt=jkt,
        )

    def _verified_token(self, token: str, now: float) -> VerifiedToken:
        """Everything about the token that does not depend on the request (`VerifiedTokens`)."""
        claims = self._verified_claims(token)
        scopes = _scopes(claims.get("scope"))
        principal = _principal(claims, citizen=self.settings.scopes.citizen in scopes)
        return VerifiedToken(
            claims=claims,
            principal=principal,
            scopes=scopes,
            attest=self._attest(claims, principal),
            usable_until=min(
                claims["exp"] + self.settings.clock_skew_seconds,
                now + self.settings.jwks_cache_seconds,
            ),
        )

    def _verified_claims(self, token: str) -> dict[str, Any]:
        try:
            signed, claims = read_compact(token, max_header_length=2048)
        except ValueError as exc:
            raise _Refused(Reason.TOKEN_MALFORMED, f"not a compact JWS: {exc}") from exc
        if not isinstance(claims, dict):
            raise _Refused(Reason.TOKEN_MALFORMED, "the payload is not a JSON object")
        header = signed.headers()
        alg, kid = _checked_header(header)
        issuer = claims.get("iss")
        if not isinstance(issuer, str) or issuer not in self.settings.issuers:
            raise _Refused(Reason.UNTRUSTED_ISSUER, f"issuer {issuer!r} is not trusted")
        try:
            key = self.keys.key_for(issuer, kid)
        except UnknownKey as exc:
            raise _Refused(Reason.UNKNOWN_KEY, str(exc)) from exc
        except JwksUnavailable as exc:
            raise _Refused(Reason.JWKS_UNAVAILABLE, str(exc)) from exc
        if key.alg is not None and key.alg != alg:
            raise _Refused(Reason.KEY_ALGORITHM_MISMATCH, f"key {kid!r} is for {key.alg}")
        try:
            verified = signature_verifies(signed, key)
        except KeyUnusable as exc:
            raise _Refused(Reason.KEY_ALGORITHM_MISMATCH, f"{alg} with key {kid!r}: {exc}") from exc
        if not verified:
            raise _Refused(Reason.INVALID_SIGNATURE, "the signature does not verify")
        self._check_claims(claims)
        return claims

    def _check_claims(self, claims: dict[str, Any]) -> None:
        settings = self.settings
        registry = JWTClaimsRegistry(
            now=int(self.clock()),
            leeway=settings.clock_skew_seconds,
            iss={"essential": True, "values": list(settings.issuers)},
            aud={"essential": True, "value": settings.audience},
            exp={"essential": True},
            client_id={"essential": True},
            jti={"essential": True},
        )
        try:
            registry.validate(claims)
        except ExpiredTokenError as exc:
            raise _Refused(Reason.TOKEN_EXPIRED, "the token has expired") from exc
        except MissingClaimError as exc:
            raise _Refused(Reason.MISSING_CLAIM, f"missing claim(s): {exc.claim}") from exc
        except ClaimError as exc:
            reason = _CLAIM_REASONS.get(exc.claim, Reason.INVALID_CLAIM)
            raise _Refused(reason, f"claim {exc.claim}: {exc.description}") from exc
        for name in ("client_id", "jti"):
            if not isinstance(claims[name], str):
                raise _Refused(Reason.INVALID_CLAIM, f"claim {name} must be a string")
        if claims["exp"] > _LATEST_TIME:
            raise _Refused(Reason.INVALID_CLAIM, "claim exp is beyond the year 9999")

    def _sender_constraint(
        self,
        *,
        scheme: str,
        token: str,
        claims: dict[str, Any],
        headers: _Headers,
        method: str,
        url: str,
    ) -> str | None:
        """The DPoP key thumbprint the token is bound to and proven for, or None for Bearer."""
        jkt = _bound_jkt(claims.get("cnf"))
        proofs = headers.values("dpop")
        if scheme == AUTH_SCHEME_BEARER:
            if jkt is not None:
                raise _Refused(Reason.DPOP_BOUND_TOKEN_USED_AS_BEARER, "use the DPoP scheme")
            if proofs:
                raise _Refused(Reason.DPOP_PROOF_WITH_BEARER_TOKEN, "DPoP proof with Bearer")
            if self.settings.require_dpop:
                raise _Refused(Reason.DPOP_REQUIRED, "this service accepts DPoP tokens only")
            return None
        if jkt is None:
            raise _Refused(Reason.TOKEN_NOT_DPOP_BOUND, "the token has no cnf.jkt")
        if len(proofs) != 1:
            reason = Reason.DPOP_PROOF_MULTIPLE if proofs else Reason.DPOP_PROOF_MISSING
            raise _Refused(reason, "exactly one DPoP header is required")
        request = DpopRequest(method=method, url=url, access_token=token, expected_jkt=jkt)
        try:
            verify_dpop_proof(
                proofs[0],
                request,
                now=int(self.clock()),
                max_age_seconds=self.settings.dpop_proof_max_age_seconds,
                clock_skew_seconds=self.settings.clock_skew_seconds,
                replay_cache=self.replay_cache,
            )
        except DpopRejected as exc:
            raise _Refused(exc.reason, exc.detail) from exc
        except ReplayCacheUnavailable as exc:
            raise _Refused(Reason.DPOP_REPLAY_CACHE_UNAVAILABLE, str(exc)) from exc
        return jkt

    def _attest(self, claims: dict[str, Any], principal: c.Principal) -> Attest | None:
        claim = claims.get(ATTEST_CLAIM)
        if claim is None:
            return None
        if principal.is_citizen:
            raise _Refused(Reason.AMBIGUOUS_PRINCIPAL, "a citizen token carries an attest")
        try:
            return parse_attest(claim, patient_id_systems=self.settings.patient_id_systems)
        except InvalidAttest as exc:
            raise _Refused(exc.reason, str(exc)) from exc


class _Headers:
    """Request headers by lower-case name, keeping repeated headers apart."""

    def __init__(self, headers: HeaderInput) -> None:
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        self._values: dict[str, list[str]] = {}
        for name, value in pairs:
            self._values.setdefault(name.lower(), []).append(value)

    def values(self, name: str) -> list[str]:
        return self._values.get(name.lower(), [])


def _credentials(headers: _Headers) -> tuple[str, str]:
    values = headers.values("authorization")
    if not values:
        raise _Refused(Reason.CREDENTIALS_MISSING, "no Authorization header")
    if len(values) > 1:
        raise _Refused(Reason.AUTHORIZATION_HEADER_MALFORMED, "more than one Authorization")
    scheme, _, token = values[0].strip().partition(" ")
    token = token.strip()
    if not token or len(token.split(maxsplit=1)) > 1:  # whitespace inside
        raise _Refused(Reason.AUTHORIZATION_HEADER_MALFORMED, "expected '<scheme> <token>'")
    for known in (AUTH_SCHEME_BEARER, AUTH_SCHEME_DPOP):
        if scheme.lower() == known.lower():
            return known, token
    raise _Refused(Reason.AUTHORIZATION_SCHEME_UNSUPPORTED, f"scheme {scheme!r} is not supported")


def _checked_header(header: dict[str, Any]) -> tuple[str, str]:
    alg = header.get("alg")
    if alg not in SIGNING_ALGORITHMS:
        allowed = ", ".join(SIGNING_ALGORITHMS)
        raise _Refused(Reason.ALGORITHM_NOT_ALLOWED, f"alg {alg!r} is not allowed ({allowed})")
    typ = header.get("typ")
    if not isinstance(typ, str) or typ.lower() not in ACCESS_TOKEN_TYPES:
        raise _Refused(Reason.INVALID_TOKEN_TYPE, f"typ {typ!r} is not at+jwt (RFC 9068)")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise _Refused(Reason.KEY_ID_MISSING, "the token header names no kid")
    return str(alg), kid


def _bound_jkt(cnf: object) -> str | None:
    if cnf is None:
        return None
    jkt = cnf.get("jkt") if isinstance(cnf, dict) else None
    if not isinstance(jkt, str) or not jkt:
        raise _Refused(Reason.INVALID_CLAIM, "cnf must hold a jkt thumbprint")
    return jkt


def _scopes(claim: object) -> frozenset[str]:
    if claim is None:
        return frozenset()
    if isinstance(claim, str):
        return frozenset(claim.split())
    if isinstance(claim, list) and all(isinstance(scope, str) for scope in claim):
        return frozenset(claim)
    raise _Refused(Reason.INVALID_CLAIM, "scope must be a string or an array of strings")


def _principal(claims: dict[str, Any], *, citizen: bool) -> c.Principal:
    pid = _text_claim(claims, c.CLAIM_PID, _ELEVEN_DIGITS)
    hpr = _text_claim(claims, c.CLAIM_HPR_NUMBER, _DIGITS)
    level = _text_claim(claims, c.CLAIM_SECURITY_LEVEL, None)
    if pid is None:
        if citizen:
            raise _Refused(Reason.MISSING_CLAIM, "a citizen token must carry pid")
        role = c.Role.SYSTEM
    else:
        if level != c.REQUIRED_SECURITY_LEVEL:
            message = f"security level {level!r}; a person needs {c.REQUIRED_SECURITY_LEVEL}"
            raise _Refused(Reason.INSUFFICIENT_SECURITY_LEVEL, message)
        if citizen and hpr is not None:
            raise _Refused(Reason.AMBIGUOUS_PRINCIPAL, "a citizen token carries an HPR number")
        role = c.Role.CITIZEN if citizen else c.Role.PERSONNEL
    return c.Principal(
        role=role,
        client_id=claims["client_id"],
        client_name=_text_claim(claims, c.CLAIM_CLIENT_NAME, None),
        orgnr_parent=_text_claim(claims, c.CLAIM_ORGNR_PARENT, None),
        orgnr_child=_text_claim(claims, c.CLAIM_ORGNR_CHILD, None),
        pid=pid,
        hpr_number=hpr,
        name=_text_claim(claims, "name", None),
        security_level=level,
    )


def _text_claim(claims: dict[str, Any], name: str, pattern: re.Pattern[str] | None) -> str | None:
    value = claims.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or (pattern is not None and not pattern.fullmatch(value)):
        raise _Refused(Reason.INVALID_CLAIM, f"claim {name} has an unexpected value")
    return value
