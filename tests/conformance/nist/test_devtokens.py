"""`--dev-issuer`: the tokens the replay signs, checked by the trust framework's Authenticator."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conformance.nist.cli import main
from tests.conformance.nist.client import Access
from tests.conformance.nist.devtokens import DevIssuerCredentials, DevIssuerUnusable
from tests.conformance.nist.fake_xds import RunningFake
from tests.conformance.nist.patients import NIST_PATIENT_AUTHORITY, PatientSettings
from trustframework import AccessContext, AccessFailure, Authenticator, Role, TrustSettings
from trustframework.devissuer import DEV_ISSUER, JWKS_FILE

PATIENT = "8d3f0c2a9b1e4f57^^^&1.3.6.1.4.1.21367.2005.3.7&ISO"
URL = "http://127.0.0.1:8010/xds/registry"


def trusting(data_dir: Path, *, require_dpop: bool = False) -> TrustSettings:
    """Settings of a deployment that trusts the issuer and accepts NIST test patients."""
    return TrustSettings(
        issuers=(DEV_ISSUER,),
        jwks=(str(data_dir / "dev-issuer" / JWKS_FILE),),
        require_dpop=require_dpop,
        extra_patient_authorities=frozenset({NIST_PATIENT_AUTHORITY}),
    )


def verified(settings: TrustSettings, headers: dict[str, str]) -> AccessContext:
    result = Authenticator.from_settings(settings).authenticate("POST", URL, headers)
    assert not isinstance(result, AccessFailure), result
    return result


def test_each_kind_of_request_gets_the_token_its_client_would_have(tmp_path: Path) -> None:
    settings = trusting(tmp_path)
    credentials = DevIssuerCredentials.for_deployment(tmp_path, settings)

    publish = verified(settings, credentials.headers(Access.PUBLISH, url=URL, patient_id=PATIENT))
    assert publish.principal.role is Role.SYSTEM
    assert {"dokdeling/publish", "dokdeling/update"} <= publish.scopes
    admin = verified(settings, credentials.headers(Access.ADMIN, url=URL, patient_id=None))
    assert admin.scopes == {"dokdeling/admin"}

    read = verified(
        settings, credentials.headers(Access.READ_METADATA, url=URL, patient_id=PATIENT)
    )
    assert read.principal.role is Role.PERSONNEL
    assert "dokdeling/read-documentreferences" in read.scopes
    assert read.attest is not None
    (patient,) = read.attest.patients
    assert patient.identifier is not None
    assert patient.identifier.id == "8d3f0c2a9b1e4f57"


def test_tokens_are_reused_per_kind_and_patient(tmp_path: Path) -> None:
    credentials = DevIssuerCredentials.for_deployment(tmp_path, trusting(tmp_path))
    first = credentials.headers(Access.READ_DOCUMENT, url=URL, patient_id=PATIENT)
    assert credentials.headers(Access.READ_DOCUMENT, url=URL, patient_id=PATIENT) == first
    other = credentials.headers(Access.READ_DOCUMENT, url=URL, patient_id="x^^^&1.2.3&ISO")
    assert other != first
    publish = credentials.headers(Access.PUBLISH, url=URL, patient_id=PATIENT)
    assert credentials.headers(Access.PUBLISH, url=URL, patient_id="x^^^&1.2.3&ISO") == publish


def test_a_deployment_requiring_dpop_gets_bound_tokens_and_fresh_proofs(tmp_path: Path) -> None:
    settings = trusting(tmp_path, require_dpop=True)
    credentials = DevIssuerCredentials.for_deployment(tmp_path, settings)
    first = credentials.headers(Access.PUBLISH, url=URL, patient_id=None)
    second = credentials.headers(Access.PUBLISH, url=URL, patient_id=None)
    assert first["Authorization"].startswith("DPoP ")
    assert first["DPoP"] != second["DPoP"]
    authenticator = Authenticator.from_settings(settings)
    for headers in (first, second):
        result = authenticator.authenticate("POST", URL, headers)
        assert isinstance(result, AccessContext), result
        assert result.dpop_jkt is not None


def test_an_issuer_or_patients_the_deployment_would_refuse(tmp_path: Path) -> None:
    with pytest.raises(DevIssuerUnusable, match="is not in DOKDELING_TRUST_ISSUERS"):
        DevIssuerCredentials.for_deployment(tmp_path, TrustSettings())
    national_only = TrustSettings(issuers=(DEV_ISSUER,), jwks=("jwks.json",))
    with pytest.raises(DevIssuerUnusable, match="DOKDELING_TRUST_PATIENT_AUTHORITIES"):
        DevIssuerCredentials.for_deployment(
            tmp_path, national_only, PatientSettings().authorities()
        )
    fnr = "15838510075^^^&2.16.578.1.12.4.1.4.1&ISO"
    known = PatientSettings(fixed=dict.fromkeys(("15817", "15817b", "15818"), fnr))
    assert known.authorities() == {"2.16.578.1.12.4.1.4.1"}
    DevIssuerCredentials.for_deployment(tmp_path, national_only, known.authorities())


def test_the_cli_signs_with_the_issuer_the_environment_trusts(
    testkit: Path, fake: RunningFake, tmp_path: Path
) -> None:
    endpoints = ("--registry", fake.registry, "--repository", fake.repository)
    test = str(testkit / "11990")
    runner = CliRunner()
    untrusted = runner.invoke(main, [*endpoints, "--dev-issuer", test], env={})
    assert untrusted.exit_code == 2
    assert f"{DEV_ISSUER} is not in DOKDELING_TRUST_ISSUERS" in untrusted.output
    both = runner.invoke(main, [*endpoints, "--dev-issuer", "--token", "t", test])
    assert both.exit_code == 2
    assert "not both" in both.output

    environment = {
        "DOKDELING_TRUST_ISSUERS": DEV_ISSUER,
        "DOKDELING_TRUST_JWKS": str(tmp_path / "dev-issuer" / JWKS_FILE),
        "DOKDELING_DATA_DIR": str(tmp_path),
    }
    refused = runner.invoke(main, [*endpoints, "--dev-issuer", test], env=environment)
    assert refused.exit_code == 2
    assert "DOKDELING_TRUST_PATIENT_AUTHORITIES" in refused.output
    environment["DOKDELING_TRUST_PATIENT_AUTHORITIES"] = NIST_PATIENT_AUTHORITY
    result = runner.invoke(main, [*endpoints, "--dev-issuer", test], env=environment)
    assert result.exit_code == 0, result.output
    assert fake.state.received, "the requests went out"
    assert all(a and a.startswith("Bearer ey") for a in fake.state.authorizations)
    assert len(set(fake.state.authorizations)) == 3, "feed, publish and read tokens"
