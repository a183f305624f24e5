"""JWKS from a file and over https: caching, refresh on an unknown kid, rate limit, refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from joserfc.jwk import ECKey, RSAKey

from tests.support.jose import ISSUER, URL, TestIssuer
from tests.support.tls import JsonDocumentServer, make_ca_and_server_cert, serving_json
from trustframework.context import AccessContext
from trustframework.failures import AccessFailure, Reason
from trustframework.jwks import JwksSource, JwksUnavailable, UnknownKey, parse_jwks
from trustframework.settings import TrustSettings
from trustframework.tokens import Authenticator


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def jwks_of(*keys: RSAKey | ECKey) -> bytes:
    return json.dumps({"keys": [key.as_dict(private=False) for key in keys]}).encode()


@pytest.fixture(scope="module")
def keys() -> tuple[RSAKey, RSAKey, RSAKey]:
    return tuple(  # type: ignore[return-value]
        RSAKey.generate_key(2048, {"kid": f"k{n}"}, private=True) for n in range(3)
    )


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return make_ca_and_server_cert(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def server(tls_files: tuple[Path, Path, Path]) -> Iterator[JsonDocumentServer]:
    _, cert, key = tls_files
    with serving_json(cert, key) as state:
        yield state


def test_file_source_refreshes_once_on_unknown_kid_then_waits(
    tmp_path: Path, keys: tuple[RSAKey, RSAKey, RSAKey]
) -> None:
    first, second, third = keys
    path = tmp_path / "jwks.json"
    path.write_bytes(jwks_of(first))
    clock = FakeClock()
    source = JwksSource(str(path), min_refresh_seconds=60, clock=clock)
    assert source.key_for("k0").kid == "k0"
    path.write_bytes(jwks_of(first, second))
    clock.now += 61
    assert source.key_for("k1").kid == "k1"  # rotated in: one refresh finds it
    path.write_bytes(jwks_of(first, second, third))
    with pytest.raises(UnknownKey):
        source.key_for("k2")  # too soon for another refresh
    clock.now += 61
    assert source.key_for("k2").kid == "k2"


def test_https_source_with_a_private_ca(
    server: JsonDocumentServer,
    tls_files: tuple[Path, Path, Path],
    keys: tuple[RSAKey, RSAKey, RSAKey],
) -> None:
    first, second, _ = keys
    server.document = jwks_of(first)
    clock = FakeClock()
    ca_file = str(tls_files[0])
    source = JwksSource(
        server.url, ca_file=ca_file, cache_seconds=3600, min_refresh_seconds=60, clock=clock
    )
    assert source.key_for("k0").kid == "k0"
    assert source.key_for("k0").kid == "k0"
    assert server.requests == 1  # cached
    with pytest.raises(UnknownKey):
        source.key_for("nope")
    clock.now += 1
    with pytest.raises(UnknownKey):
        source.key_for("still-nope")
    assert server.requests == 1  # the first unknown kid came too soon after the load
    server.document = jwks_of(first, second)
    clock.now += 60
    assert source.key_for("k1").kid == "k1"
    assert server.requests == 2
    clock.now += 3600
    assert source.key_for("k1").kid == "k1"
    assert server.requests == 3  # cache expired


def test_refresh_failure_keeps_the_keys_already_known(
    server: JsonDocumentServer,
    tls_files: tuple[Path, Path, Path],
    keys: tuple[RSAKey, RSAKey, RSAKey],
) -> None:
    server.document = jwks_of(keys[0])
    clock = FakeClock()
    source = JwksSource(server.url, ca_file=str(tls_files[0]), cache_seconds=10, clock=clock)
    assert source.key_for("k0").kid == "k0"
    server.document = b"<html>maintenance</html>"
    clock.now += 100
    assert source.key_for("k0").kid == "k0"
    assert server.requests == 2


def test_a_server_certificate_from_an_unknown_ca_is_refused(
    server: JsonDocumentServer, keys: tuple[RSAKey, RSAKey, RSAKey]
) -> None:
    server.document = jwks_of(keys[0])
    with pytest.raises(JwksUnavailable):
        JwksSource(server.url).key_for("k0")


def test_plain_http_is_refused() -> None:
    with pytest.raises(ValueError, match="https"):
        JwksSource("http://127.0.0.1/jwks.json")


@pytest.mark.parametrize(
    "document",
    [
        b'{"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "h"}]}',
        b"[]",
        b'{"keys": ["x"]}',
    ],
)
def test_jwks_with_symmetric_or_broken_keys_is_refused(document: bytes) -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        parse_jwks(document)


def test_jwks_with_private_key_material_is_refused(keys: tuple[RSAKey, RSAKey, RSAKey]) -> None:
    document = json.dumps({"keys": [keys[0].as_dict(private=True)]}).encode()
    with pytest.raises(ValueError, match="private key material"):
        parse_jwks(document)


def test_authenticate_with_the_jwks_url_from_settings(
    server: JsonDocumentServer, tls_files: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    issuer = TestIssuer(tmp_path)
    server.document = issuer.jwks_path.read_bytes()
    settings = TrustSettings.from_env(
        {
            "DOKDELING_TRUST_ISSUERS": ISSUER,
            "DOKDELING_TRUST_JWKS": server.url,
            "DOKDELING_TRUST_JWKS_CA_FILE": str(tls_files[0]),
        }
    )
    authenticator = Authenticator.from_settings(settings)
    authenticator.clock = lambda: 1_780_000_000
    good = issuer.sign(issuer.claims())
    assert isinstance(
        authenticator.authenticate("POST", URL, {"Authorization": f"Bearer {good}"}),
        AccessContext,
    )
    unknown = issuer.sign(issuer.claims(), header={"kid": "gone"})
    failure = authenticator.authenticate("POST", URL, {"Authorization": f"Bearer {unknown}"})
    assert isinstance(failure, AccessFailure)
    assert failure.reason is Reason.UNKNOWN_KEY


def test_an_unreachable_jwks_is_a_503(tmp_path: Path) -> None:
    issuer = TestIssuer(tmp_path)
    settings = TrustSettings(issuers=(ISSUER,), jwks=(str(tmp_path / "missing.json"),))
    authenticator = Authenticator.from_settings(settings)
    authenticator.clock = lambda: 1_780_000_000
    token = issuer.sign(issuer.claims())
    failure = authenticator.authenticate("POST", URL, {"Authorization": f"Bearer {token}"})
    assert isinstance(failure, AccessFailure)
    assert failure.reason is Reason.JWKS_UNAVAILABLE
    assert failure.status == 503
    assert failure.www_authenticate() is None
