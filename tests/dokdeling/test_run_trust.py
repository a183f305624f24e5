"""Which token issuer a deployment trusts: `dokdeling run` its own development issuer unless
told otherwise; a standalone service nothing it was not configured with."""

from __future__ import annotations

from pathlib import Path

from dokdeling.run import RunOptions, child_environment, development_trust
from registry.settings import RegistrySettings
from schemas import vocabulary as v
from trustframework.devissuer import DEV_ISSUER


def test_run_trusts_its_development_issuer_by_default(tmp_path: Path) -> None:
    trust = development_trust({}, tmp_path)

    assert trust == {
        "DOKDELING_TRUST_ISSUERS": DEV_ISSUER,
        "DOKDELING_TRUST_JWKS": str(tmp_path / "dev-issuer" / "jwks.json"),
        "DOKDELING_TRUST_PATIENT_AUTHORITIES": v.IHE_TEST_PATIENT_AUTHORITY,
    }
    options = RunOptions(data_dir=tmp_path, registry_port=1, repository_port=2)
    assert child_environment(options, {}).items() >= trust.items()


def test_configured_issuers_and_authorities_are_kept(tmp_path: Path) -> None:
    configured = {"DOKDELING_TRUST_ISSUERS": "https://helseid-sts.nhn.no"}
    assert development_trust(configured, tmp_path) == {}
    options = RunOptions(data_dir=tmp_path, registry_port=1, repository_port=2)
    assert child_environment(options, configured)["DOKDELING_TRUST_ISSUERS"] == (
        "https://helseid-sts.nhn.no"
    )

    authorities = {"DOKDELING_TRUST_PATIENT_AUTHORITIES": "2.16.578.1.12.4.1.4.1"}
    assert "DOKDELING_TRUST_PATIENT_AUTHORITIES" not in development_trust(authorities, tmp_path)


def test_a_standalone_registry_trusts_no_issuer_unless_configured(tmp_path: Path) -> None:
    settings = RegistrySettings.from_env({"DOKDELING_DATA_DIR": str(tmp_path)})
    assert settings.trust.issuers == ()
