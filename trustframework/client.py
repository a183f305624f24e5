"""How a service presents itself when it calls another service (the repository's ITI-42 to the
registry): its access token and, for a DPoP-bound token, a proof per request from its key.

The token lives in a file that something else keeps fresh (a HelseID client-credentials agent in
production, `dokdeling run` under development): `ClientCredentials` reads it when it changes
(modification time, size or inode) and otherwise uses what it read, so rotating a token needs no
restart. Private keys are JWK files readable by their owner only (`read_private_jwk`).
"""

from __future__ import annotations

import json
import os
import stat
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from joserfc import jwt
from joserfc.jwk import ECKey, Key, RSAKey

from trustframework.dpop import DPOP_PROOF_TYPE, access_token_hash


class CredentialsUnavailable(Exception):
    """The token (or the DPoP key) cannot be read; nothing should be sent unauthenticated."""


@dataclass(frozen=True, slots=True)
class _Read:
    signature: tuple[int, int, int]
    token: str


class ClientCredentials:
    """`Authorization` (and `DPoP`) headers from a token file and an optional DPoP key file."""

    def __init__(self, token_file: Path, *, dpop_key_file: Path | None = None) -> None:
        self.token_file = token_file
        self.dpop_key_file = dpop_key_file
        self._read: _Read | None = None
        self._dpop_key: Key | None = None

    def headers(self, method: str, url: str) -> dict[str, str]:
        """The headers for one request; `CredentialsUnavailable` when the token cannot be read."""
        token = self.token()
        if self.dpop_key_file is None:
            return {"Authorization": f"Bearer {token}"}
        proof = make_dpop_proof(self._key(), method=method, url=url, access_token=token)
        return {"Authorization": f"DPoP {token}", "DPoP": proof}

    def token(self) -> str:
        """The token in the file, read again whenever the file changed."""
        try:
            status = self.token_file.stat()
            signature = (status.st_mtime_ns, status.st_size, status.st_ino)
            if self._read is None or self._read.signature != signature:
                token = self.token_file.read_text(encoding="utf-8").strip()
                self._read = _Read(signature, token)
        except OSError as error:
            raise CredentialsUnavailable(f"cannot read the token file: {error}") from error
        if not self._read.token:
            raise CredentialsUnavailable(f"the token file {self.token_file} is empty")
        return self._read.token

    def _key(self) -> Key:
        if self._dpop_key is None:
            assert self.dpop_key_file is not None
            try:
                self._dpop_key = read_private_jwk(self.dpop_key_file)
            except (OSError, ValueError) as error:
                problem = f"cannot read the DPoP key {self.dpop_key_file}: {error}"
                raise CredentialsUnavailable(problem) from error
        return self._dpop_key


def make_dpop_proof(
    key: Key, *, method: str, url: str, access_token: str, now: int | None = None
) -> str:
    """A DPoP proof (RFC 9449 §4.2) for one request with the given access token."""
    alg = "ES256" if isinstance(key, ECKey) else "RS256"
    header = {"typ": DPOP_PROOF_TYPE, "alg": alg, "jwk": key.as_dict(private=False)}
    claims = {
        "jti": uuid.uuid4().hex,
        "htm": method,
        "htu": url,
        "iat": int(time.time()) if now is None else now,
        "ath": access_token_hash(access_token),
    }
    return jwt.encode(header, claims, key, algorithms=[alg], default_type=None)


def write_private_jwk(path: Path, key: Key) -> None:
    """Write a private JWK readable by its owner only; an existing file is kept as it is."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}")
    descriptor = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(key.as_dict(private=True), handle)
    try:
        os.link(staging, path)  # atomic, and fails when another process won the race
    except FileExistsError:
        pass
    finally:
        staging.unlink()


def read_private_jwk(path: Path) -> Key:
    """A private JWK (RSA or EC) from a file nobody but its owner may read."""
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise PermissionError(f"{path} is readable by others; run chmod 600 {path}")
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("kty") == "EC":
        return ECKey.import_key(data)
    return RSAKey.import_key(data)
