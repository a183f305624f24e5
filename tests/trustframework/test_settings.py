"""TrustSettings from DOKDELING_TRUST_* variables."""

from __future__ import annotations

import pytest

from trustframework.settings import Scopes, TrustConfigurationError, TrustSettings


def test_defaults() -> None:
    settings = TrustSettings.from_env({})
    assert settings.issuers == ()
    assert settings.audience == "dokdeling"
    assert settings.scopes.read_documentreferences == "dokdeling/read-documentreferences"
    assert settings.scopes.citizen == "dokdeling/citizen"
    assert settings.replay_cache_url == "memory://"
    assert not settings.require_dpop


def test_everything_set() -> None:
    settings = TrustSettings.from_env(
        {
            "DOKDELING_TRUST_ISSUERS": "https://helseid-sts.nhn.no, urn:dokdeling:dev-issuer",
            "DOKDELING_TRUST_JWKS": "https://helseid-sts.nhn.no/jwks,/var/dev-issuer/jwks.json",
            "DOKDELING_TRUST_AUDIENCE": "nhn:phr",
            "DOKDELING_TRUST_CLOCK_SKEW": "30",
            "DOKDELING_TRUST_DPOP_MAX_AGE": "120",
            "DOKDELING_TRUST_REQUIRE_DPOP": "true",
            "DOKDELING_TRUST_REPLAY_CACHE_URL": "redis://127.0.0.1:6379/2",
            "DOKDELING_TRUST_SCOPE_PREFIX": "nhn:phr/mhd",
            "DOKDELING_TRUST_SCOPES": "publish=nhn:phr-repo/mhd/create",
            "DOKDELING_TRUST_PATIENT_AUTHORITIES": "urn:oid:1.3.6.1.4.1.21367.2005.3.7",
        }
    )
    assert settings.jwks_of("urn:dokdeling:dev-issuer") == "/var/dev-issuer/jwks.json"
    assert settings.jwks_of("https://helseid-sts.nhn.no") == "https://helseid-sts.nhn.no/jwks"
    assert settings.clock_skew_seconds == 30
    assert settings.dpop_proof_max_age_seconds == 120
    assert settings.require_dpop
    assert settings.scopes.publish == "nhn:phr-repo/mhd/create"
    assert settings.scopes.read_document == "nhn:phr/mhd/read-document"
    assert "1.3.6.1.4.1.21367.2005.3.7" in settings.patient_id_systems


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"DOKDELING_TRUST_CLOCK_SKEW": "-1"}, "CLOCK_SKEW"),
        ({"DOKDELING_TRUST_REQUIRE_DPOP": "maybe"}, "REQUIRE_DPOP"),
        ({"DOKDELING_TRUST_SCOPES": "publish"}, "name=scope"),
        ({"DOKDELING_TRUST_SCOPES": "teleport=x"}, "unknown scope"),
        ({"DOKDELING_TRUST_ISSUERS": "a"}, "JWKS is not"),
        (
            {"DOKDELING_TRUST_ISSUERS": "a,b,c", "DOKDELING_TRUST_JWKS": "x,y"},
            "one per issuer",
        ),
    ],
)
def test_bad_values_stop_at_start_up(environ: dict[str, str], message: str) -> None:
    with pytest.raises(TrustConfigurationError, match=message):
        TrustSettings.from_env(environ)


def test_scope_overrides_accept_dashed_names() -> None:
    settings = TrustSettings.from_env({"DOKDELING_TRUST_SCOPES": "read-document=y"})
    assert settings.scopes.read_document == "y"
    assert settings.scopes.publish == Scopes.with_prefix().publish
