"""DPoP proofs (RFC 9449 §4.3, §7.1): the caller proves it holds the key the token is bound to.

`verify_dpop_proof` checks, in this order: a well-formed JWS with `typ` `dpop+jwt` and an allowed
asymmetric `alg`; an embedded public `jwk` (private members refused); the signature by that key;
the claims `jti`, `htm`, `htu`, `iat`; `htm`/`htu` against the request (htu compared after
RFC 3986 normalisation, without query and fragment); `iat` inside the window; `ath` = the access
token's SHA-256; the key's RFC 7638 thumbprint = the token's `cnf.jkt`; and last the `jti` in the
replay cache, so only a proof that passed everything else uses up its `jti`. Server nonces
(§8) are not used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from joserfc.errors import JoseError
from joserfc.jwk import JWKRegistry, Key

from trustframework.failures import SIGNING_ALGORITHMS, Reason
from trustframework.replay import ReplayCache
from trustframework.signatures import KeyUnusable, read_compact, signature_verifies

DPOP_PROOF_TYPE = "dpop+jwt"
MAX_JTI_LENGTH = 256
_PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


class DpopRejected(Exception):
    """The proof fails one check; `reason` names which."""

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True, kw_only=True)
class DpopProof:
    """An accepted proof: the key's thumbprint, the proof's id and when it was made."""

    jkt: str
    jti: str
    issued_at: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DpopRequest:
    """What a proof must match: the request line, the access token and the token's `cnf.jkt`."""

    method: str
    url: str
    access_token: str
    expected_jkt: str


def verify_dpop_proof(
    proof: str,
    request: DpopRequest,
    *,
    now: int,
    max_age_seconds: int,
    clock_skew_seconds: int,
    replay_cache: ReplayCache,
) -> DpopProof:
    """The accepted proof, or DpopRejected naming the first failed check.

    May raise `replay.ReplayCacheUnavailable` when the replay cache cannot answer.
    """
    try:  # the header carries the public key: RSA-4096 fits in 4096 bytes
        signed, payload = read_compact(proof, max_header_length=4096)
    except ValueError as exc:
        raise DpopRejected(Reason.DPOP_PROOF_MALFORMED, f"not a compact JWS: {exc}") from exc
    header = signed.headers()
    _check_header(header)
    key = _public_key(header.get("jwk"))
    try:
        verified = signature_verifies(signed, key)
    except KeyUnusable as exc:
        raise DpopRejected(Reason.DPOP_KEY_INVALID, f"key unusable for alg: {exc}") from exc
    if not verified:
        raise DpopRejected(Reason.DPOP_SIGNATURE_INVALID, "signature does not verify")
    claims = _claims(payload)
    _check_request(claims, request)
    issued_at = _check_time(claims["iat"], now, max_age_seconds, clock_skew_seconds)
    _check_ath(claims.get("ath"), request.access_token)
    jkt = key.thumbprint()
    if not hmac.compare_digest(jkt, request.expected_jkt):
        raise DpopRejected(Reason.DPOP_KEY_MISMATCH, "proof key is not the token's cnf.jkt")
    replay_key = hashlib.sha256(f"{jkt}:{claims['jti']}".encode()).hexdigest()
    if not replay_cache.first_use(replay_key, max_age_seconds + 2 * clock_skew_seconds):
        raise DpopRejected(Reason.DPOP_PROOF_REPLAYED, "this proof jti was used before")
    return DpopProof(jkt=jkt, jti=claims["jti"], issued_at=issued_at)


def access_token_hash(access_token: str) -> str:
    """`ath`: base64url(SHA-256(ASCII(access token))) without padding."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def normalise_htu(url: str) -> str:
    """`scheme://host[:port]/path`: lower-case scheme and host, no default port, no query or
    fragment, percent-encoding normalised and dot segments removed (RFC 3986 §6.2.2-6.2.3)."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        raise ValueError(f"not an http(s) URL: {url!r}")
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _PERCENT.sub(_normalise_escape, parts.path) or "/"
    return f"{scheme}://{netloc}{_remove_dot_segments(path)}"


def _check_header(header: dict[str, Any]) -> None:
    typ = header.get("typ")
    if not isinstance(typ, str) or typ.lower() != DPOP_PROOF_TYPE:
        raise DpopRejected(Reason.DPOP_PROOF_INVALID_TYPE, f"typ must be {DPOP_PROOF_TYPE}")
    if header.get("alg") not in SIGNING_ALGORITHMS:
        allowed = ", ".join(SIGNING_ALGORITHMS)
        message = f"alg {header.get('alg')!r} not allowed ({allowed})"
        raise DpopRejected(Reason.DPOP_ALGORITHM_NOT_ALLOWED, message)


def _public_key(jwk: object) -> Key:
    if not isinstance(jwk, dict):
        raise DpopRejected(Reason.DPOP_KEY_INVALID, "the proof header carries no jwk")
    if _PRIVATE_MEMBERS & jwk.keys():
        raise DpopRejected(Reason.DPOP_PRIVATE_KEY_IN_PROOF, "the jwk holds private key material")
    if jwk.get("kty") not in ("RSA", "EC"):
        raise DpopRejected(Reason.DPOP_KEY_INVALID, "the jwk must be an RSA or EC public key")
    try:
        return JWKRegistry.import_key(jwk)
    except (JoseError, ValueError, TypeError) as exc:
        raise DpopRejected(Reason.DPOP_KEY_INVALID, f"the jwk is not a usable key: {exc}") from exc


def _claims(claims: object) -> dict[str, Any]:
    if not isinstance(claims, dict):
        raise DpopRejected(Reason.DPOP_PROOF_MALFORMED, "the payload is not a JSON object")
    for name in ("jti", "htm", "htu"):
        value = claims.get(name)
        if not isinstance(value, str) or not value:
            raise DpopRejected(Reason.DPOP_CLAIM_MISSING, f"claim {name} is missing")
    if len(claims["jti"]) > MAX_JTI_LENGTH:
        raise DpopRejected(Reason.DPOP_PROOF_MALFORMED, "jti is too long")
    iat = claims.get("iat")
    if isinstance(iat, bool) or not isinstance(iat, int | float) or not math.isfinite(iat):
        raise DpopRejected(Reason.DPOP_CLAIM_MISSING, "claim iat is missing or not a time")
    return claims


def _check_request(claims: dict[str, Any], request: DpopRequest) -> None:
    if claims["htm"] != request.method:
        message = f"htm {claims['htm']!r} is not the request method {request.method!r}"
        raise DpopRejected(Reason.DPOP_METHOD_MISMATCH, message)
    try:
        matches = normalise_htu(claims["htu"]) == normalise_htu(request.url)
    except ValueError:
        matches = False
    if not matches:
        raise DpopRejected(Reason.DPOP_URL_MISMATCH, f"htu {claims['htu']!r} is not this URL")


def _check_time(iat: float, now: int, max_age: int, skew: int) -> int:
    if iat > now + skew:
        raise DpopRejected(Reason.DPOP_PROOF_FROM_FUTURE, "iat is in the future")
    if iat < now - max_age - skew:
        raise DpopRejected(Reason.DPOP_PROOF_TOO_OLD, f"iat is older than {max_age} s")
    return int(iat)


def _check_ath(ath: object, access_token: str) -> None:
    if not isinstance(ath, str) or not ath:
        raise DpopRejected(Reason.DPOP_ATH_MISSING, "claim ath is missing")
    if not hmac.compare_digest(ath, access_token_hash(access_token)):
        raise DpopRejected(Reason.DPOP_ATH_MISMATCH, "ath is not the hash of this access token")


def _normalise_escape(match: re.Match[str]) -> str:
    char = chr(int(match.group(0)[1:], 16))
    return char if char in _UNRESERVED else match.group(0).upper()


def _remove_dot_segments(path: str) -> str:
    kept: list[str] = []
    segments = path.split("/")[1:]
    for segment in segments:
        if segment == ".":
            continue
        if segment == "..":
            if kept:
                kept.pop()
            continue
        kept.append(segment)
    if segments and segments[-1] in (".", ".."):
        kept.append("")
    return "/" + "/".join(kept)
