"""The issuers' public keys: a JWKS from a file or an https URL, cached and refreshed with care.

Keys are cached for `cache_seconds`. A token naming an unknown `kid` triggers one refresh (the
issuer may have rotated keys), but never more than one per `min_refresh_seconds`, so a stream of
tokens with made-up key ids cannot turn the service into a JWKS-fetching machine. When a refresh
fails the keys already known stay in use. A JWKS holding private or symmetric keys is refused.
"""

from __future__ import annotations

import http.client
import json
import logging
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from joserfc.errors import JoseError
from joserfc.jwk import Key, KeySet

log = logging.getLogger(__name__)

MAX_JWKS_BYTES = 1 << 20
_PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})


class JwksUnavailable(Exception):
    """No keys could be read from the JWKS location."""


class UnknownKey(Exception):
    """The JWKS (even freshly read) has no key with this `kid`."""


class JwksSource:
    """One JWKS location (file path, `file://` or `https://` URL) with its cache."""

    def __init__(
        self,
        location: str,
        *,
        ca_file: str | None = None,
        cache_seconds: int = 3600,
        min_refresh_seconds: int = 60,
        timeout_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.location = location
        self.cache_seconds = cache_seconds
        self.min_refresh_seconds = min_refresh_seconds
        self.clock = clock
        self._read = _reader_for(location, ca_file, timeout_seconds)
        self._keys: KeySet | None = None
        self._loaded_at = 0.0
        self._attempted_at: float | None = None
        self._lock = threading.Lock()

    def key_for(self, kid: str) -> Key:
        """The key with this `kid`; UnknownKey or JwksUnavailable when there is none."""
        with self._lock:
            if self._keys is None or self.clock() - self._loaded_at >= self.cache_seconds:
                self._refresh()
            key = self._find(kid)
            if key is None and self._refresh():
                key = self._find(kid)
        if key is not None:
            return key
        if self._keys is None:
            raise JwksUnavailable(f"no keys could be read from {self.location}")
        raise UnknownKey(f"no key with kid {kid!r} in {self.location}")

    def _find(self, kid: str) -> Key | None:
        if self._keys is None:
            return None
        return next((key for key in self._keys if key.kid == kid), None)

    def _refresh(self) -> bool:
        """Read the JWKS again unless that was tried too recently; True when new keys arrived."""
        now = self.clock()
        if self._attempted_at is not None and now - self._attempted_at < self.min_refresh_seconds:
            return False
        self._attempted_at = now
        try:
            keys = parse_jwks(self._read())
        except (OSError, ValueError, JoseError, http.client.HTTPException) as exc:
            log.warning("JWKS %s could not be read: %s", self.location, exc)
            return False
        self._keys, self._loaded_at = keys, now
        return True


class IssuerKeys:
    """The JWKS source of each trusted issuer (one shared source, or one per issuer)."""

    def __init__(self, sources: Mapping[str, JwksSource]) -> None:
        self._sources = dict(sources)

    def key_for(self, issuer: str, kid: str) -> Key:
        return self._sources[issuer].key_for(kid)


def parse_jwks(document: bytes) -> KeySet:
    """A JWKS document's public signing keys; ValueError for private or symmetric keys."""
    data = json.loads(document)
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise ValueError('a JWKS is a JSON object with a "keys" array')
    keys: list[dict[str, Any]] = []
    for entry in data["keys"]:
        if not isinstance(entry, dict):
            raise ValueError("a JWKS key must be a JSON object")
        if _PRIVATE_MEMBERS & entry.keys():
            raise ValueError(f"the JWKS holds private key material (kid {entry.get('kid')!r})")
        if entry.get("use", "sig") == "sig":
            keys.append(entry)
    return KeySet.import_key_set({"keys": keys})


def _reader_for(location: str, ca_file: str | None, timeout: float) -> Callable[[], bytes]:
    scheme = urlsplit(location).scheme.lower()
    if scheme == "https":
        return lambda: _fetch_https(location, ca_file, timeout)
    if scheme not in ("", "file"):
        raise ValueError(f"JWKS location must be a file or an https URL, not {location!r}")
    path = Path(urlsplit(location).path if scheme == "file" else location)
    return lambda: _read_file(path)


def _read_file(path: Path) -> bytes:
    with path.open("rb") as handle:
        document = handle.read(MAX_JWKS_BYTES + 1)
    if len(document) > MAX_JWKS_BYTES:
        raise ValueError(f"{path} is larger than {MAX_JWKS_BYTES} bytes")
    return document


def _fetch_https(url: str, ca_file: str | None, timeout: float) -> bytes:
    """GET over TLS with certificate and host checks; redirects are not followed."""
    parts = urlsplit(url)
    if parts.hostname is None:
        raise ValueError(f"no host in {url!r}")
    context = ssl.create_default_context(cafile=ca_file)
    connection = http.client.HTTPSConnection(
        parts.hostname, parts.port, timeout=timeout, context=context
    )
    try:
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        connection.request("GET", target, headers={"Accept": "application/json"})
        response = connection.getresponse()
        document = response.read(MAX_JWKS_BYTES + 1)
    finally:
        connection.close()
    if response.status != 200:
        raise ValueError(f"{url} answered HTTP {response.status}")
    if len(document) > MAX_JWKS_BYTES:
        raise ValueError(f"{url} sent more than {MAX_JWKS_BYTES} bytes")
    return document
