"""Which token issuer a deployment trusts: `dokdeling run` its own development issuer unless
told otherwise; a standalone service nothing it was not configured with. And the repository's own
token for the registry, which `dokdeling run` mints while it trusts its development issuer."""

from __future__ import annotations

import stat
from pathlib import Path

from dokdeling.registry_token import DEV_REPOSITORY_CLIENT, minter_for_run
from dokdeling.run import RunOptions, child_environment, development_trust
from registry.settings import RegistrySettings
from repository.settings import RepositorySettings
from schemas import vocabulary as v
from trustframework.context import AccessContext, Role
from trustframework.devissuer import DEV_ISSUER
from trustframework.settings import TrustSettings
from trustframework.tokens import Authenticator

URL = "http://127.0.0.1:8010/xds/registry"


def test_run_trusts_its_development_issuer_by_default(tmp_path: Path) -> None:
    trust = development_trust({}, tmp_path)

    assert trust == {
        "DOKDELING_TRUST_ISSUERS": DEV_ISSUER,
        "DOKDELING_TRUST_JWKS": str(tmp_path / "dev-issuer" / "jwks.json"),
        "DOKDELING_TRUST_PATIENT_AUTHORITIES": v.IHE_TEST_PATIENT_AUTHORITY,
        "DOKDELING_TRUST_REPOSITORY_CLIENTS": DEV_REPOSITORY_CLIENT,
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


def trusting_the_development_issuer(data_dir: Path, **variables: str) -> dict[str, str]:
    environ = {f"DOKDELING_{name}": value for name, value in variables.items()}
    options = RunOptions(data_dir=data_dir, registry_port=1, repository_port=2)
    return child_environment(options, environ)


def test_run_mints_a_publishing_token_for_its_repository(tmp_path: Path) -> None:
    environ = trusting_the_development_issuer(tmp_path)
    minter = minter_for_run(environ, tmp_path)
    assert minter is not None
    minter.mint()
    settings = TrustSettings.from_env(environ)
    credentials = RepositorySettings.from_env({**environ, **minter.environment()})
    client = credentials.registry_credentials()
    assert client is not None
    context = Authenticator.from_settings(settings).authenticate(
        "POST", URL, client.headers("POST", URL)
    )
    assert isinstance(context, AccessContext)
    assert context.principal.client_id == DEV_REPOSITORY_CLIENT
    assert context.principal.role is Role.SYSTEM
    assert context.scopes == {settings.scopes.publish}
    assert DEV_REPOSITORY_CLIENT in settings.repository_clients
    assert stat.S_IMODE(minter.token_file.stat().st_mode) == 0o600


def test_a_deployment_that_requires_dpop_gets_a_bound_token_and_its_key(tmp_path: Path) -> None:
    environ = trusting_the_development_issuer(tmp_path, TRUST_REQUIRE_DPOP="true")
    minter = minter_for_run(environ, tmp_path)
    assert minter is not None
    minter.mint()
    credentials = RepositorySettings.from_env({**environ, **minter.environment()})
    client = credentials.registry_credentials()
    assert client is not None
    headers = client.headers("POST", URL)
    assert headers["Authorization"].startswith("DPoP ")
    verifier = Authenticator.from_settings(TrustSettings.from_env(environ))
    assert isinstance(verifier.authenticate("POST", URL, headers), AccessContext)


def test_run_mints_nothing_when_told_where_the_token_is_or_whom_to_trust(tmp_path: Path) -> None:
    given = trusting_the_development_issuer(
        tmp_path, REPOSITORY_REGISTRY_TOKEN_FILE=str(tmp_path / "agent-token")
    )
    assert minter_for_run(given, tmp_path) is None
    own_issuers = {
        "DOKDELING_TRUST_ISSUERS": "https://helseid-sts.nhn.no",
        "DOKDELING_TRUST_JWKS": "https://helseid-sts.nhn.no/jwks",
    }
    assert minter_for_run(own_issuers, tmp_path) is None
