"""The audit keys: AES-GCM encryption of the attest at rest and the keyed MACs of the hash chain.

The sealed content is the JSON of the attest and the caller's national id, deflated (zlib)
before encryption. One configured secret (`DOKDELING_AUDIT_KEY`, 32 random bytes) yields, by
HKDF-SHA256 (RFC 5869) with distinct `info` labels:

- a fresh AES-256-GCM key per record (`…attest-v1|service|record_id`), so a random 96-bit nonce
  is used once per key and no nonce budget (NIST SP 800-38D §8.3) can run out at any rate;
- a chain key per service (`…chain-v1|service`) for HMAC-SHA256 over each record hash and over
  the chain head.

The key id stored with every record is derived from the secret (not configured), so rotating
means: set the new secret, keep the old ones in `DOKDELING_AUDIT_PREVIOUS_KEYS` for reading.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import zlib
from collections.abc import Iterable, Mapping
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from trustframework.audit.record import SealedAttest

KEY_BYTES = 32
NONCE_BYTES = 12
_KEY_ID_LABEL = b"dokdeling-audit-key-id-v1"
_ATTEST_LABEL = "dokdeling-audit-attest-v1"
_CHAIN_LABEL = "dokdeling-audit-chain-v1"


class AuditKeyError(Exception):
    """A key is malformed, unknown, or does not open what it should."""


def _derive(secret: bytes, info: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info.encode()).derive(
        secret
    )


class AuditKey:
    """One 32-byte audit secret and its derived id; the secret never appears in `repr`."""

    __slots__ = ("_chain_keys", "_secret", "key_id")

    def __init__(self, secret: bytes) -> None:
        if len(secret) != KEY_BYTES:
            raise AuditKeyError(f"an audit key is {KEY_BYTES} bytes, not {len(secret)}")
        self._secret = secret
        self._chain_keys: dict[str, bytes] = {}
        self.key_id = hmac.new(secret, _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:16]

    @classmethod
    def from_base64(cls, text: str) -> AuditKey:
        try:
            secret = base64.b64decode(text.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise AuditKeyError("an audit key is base64 (standard alphabet)") from None
        return cls(secret)

    @classmethod
    def generate(cls) -> AuditKey:
        return cls(os.urandom(KEY_BYTES))

    def to_base64(self) -> str:
        return base64.b64encode(self._secret).decode("ascii")

    def __repr__(self) -> str:
        return f"AuditKey(key_id={self.key_id!r})"

    def record_cipher(self, service: str, record_id: str) -> AESGCM:
        return AESGCM(_derive(self._secret, f"{_ATTEST_LABEL}|{service}|{record_id}"))

    def chain_mac(self, service: str, message: bytes) -> str:
        key = self._chain_keys.get(service)
        if key is None:
            key = self._chain_keys[service] = _derive(self._secret, f"{_CHAIN_LABEL}|{service}")
        return hmac.new(key, message, hashlib.sha256).hexdigest()


def associated_data(service: str, record_id: str) -> bytes:
    """AES-GCM associated data: the record's identity, so a ciphertext moved to another record
    (or service) does not open."""
    return f"dokdeling-audit-v1|{service}|{record_id}".encode()


class AuditKeyring:
    """The current key (seals and MACs new records) and previous keys (read old ones)."""

    def __init__(self, current: AuditKey, previous: Iterable[AuditKey] = ()) -> None:
        self.current = current
        self._keys = {key.key_id: key for key in (*previous, current)}

    def key(self, key_id: str) -> AuditKey:
        try:
            return self._keys[key_id]
        except KeyError:
            raise AuditKeyError(f"audit key {key_id} is not configured") from None

    def seal(self, service: str, record_id: str, content: Mapping[str, Any]) -> SealedAttest:
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
        plaintext = zlib.compress(text)  # JSON shrinks to ~40 %; ciphertext would not
        nonce = os.urandom(NONCE_BYTES)
        cipher = self.current.record_cipher(service, record_id)
        ciphertext = cipher.encrypt(nonce, plaintext, associated_data(service, record_id))
        return SealedAttest(key_id=self.current.key_id, nonce=nonce, ciphertext=ciphertext)

    def unseal(self, service: str, record_id: str, sealed: SealedAttest) -> dict[str, Any]:
        """The sealed content; AuditKeyError when the key is unknown or the ciphertext, nonce
        or record identity was changed."""
        cipher = self.key(sealed.key_id).record_cipher(service, record_id)
        try:
            plaintext = cipher.decrypt(
                sealed.nonce, sealed.ciphertext, associated_data(service, record_id)
            )
        except InvalidTag:
            raise AuditKeyError(f"the sealed attest of record {record_id} does not open") from None
        content: dict[str, Any] = json.loads(zlib.decompress(plaintext))
        return content
