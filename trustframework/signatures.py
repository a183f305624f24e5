"""Compact JWS handling shared by access tokens and DPoP proofs, all done by joserfc.

Only SIGNING_ALGORITHMS are registered, so `none` and HMAC never get as far as a verifier, and
joserfc checks that the key's type fits the algorithm (RS256 needs an RSA key, ES256 a P-256 key).
"""

from __future__ import annotations

import json
from typing import Any

from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import Key

from trustframework.failures import SIGNING_ALGORITHMS


class KeyUnusable(Exception):
    """The key cannot verify this algorithm (wrong type or curve)."""


def read_compact(value: str, *, max_header_length: int) -> tuple[jws.CompactSignature, Any]:
    """The unverified JWS and its JSON payload; ValueError when it is not a compact JWS."""
    registry = _registry(max_header_length)
    try:
        signed = jws.extract_compact(value.encode("ascii"), registry=registry)
        payload = json.loads(signed.payload or b"")
    except (JoseError, UnicodeError) as exc:
        raise ValueError(str(exc)) from exc
    return signed, payload


def signature_verifies(signed: jws.CompactSignature, key: Key) -> bool:
    """Whether `key` verifies the signature under the header's (allowed) algorithm."""
    try:
        return jws.validate_compact(signed, key, registry=_registry())
    except BadSignatureError:
        return False
    except JoseError as exc:
        raise KeyUnusable(str(exc)) from exc


def _registry(max_header_length: int = jws.JWSRegistry.max_header_length) -> jws.JWSRegistry:
    registry = jws.JWSRegistry(algorithms=list(SIGNING_ALGORITHMS), strict_check_header=False)
    registry.max_header_length = max_header_length
    return registry
