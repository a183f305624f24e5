"""The development issuer: its key on disk, its personas, and `dokdeling token …`."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.people import PATIENT, is_valid_fnr
from trustframework.cli import token_command
from trustframework.client import read_private_jwk
from trustframework.context import AccessContext, Role
from trustframework.devissuer import (
    DEV_ISSUER,
    DevIssuer,
    Persona,
    TokenRequest,
)
from trustframework.failures import AccessFailure, Reason
from trustframework.settings import TrustSettings
from trustframework.tokens import Authenticator

URL = "http://127.0.0.1:8010/xds/registry"


def authenticator_for(data_dir: Path) -> Authenticator:
    jwks = data_dir / "dev-issuer" / "jwks.json"
    return Authenticator.from_settings(TrustSettings(issuers=(DEV_ISSUER,), jwks=(str(jwks),)))


def test_the_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    issuer = DevIssuer.from_data_dir(tmp_path)
    kid = issuer.signing_key().kid
    key_file = tmp_path / "dev-issuer" / "signing-key.json"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert DevIssuer.from_data_dir(tmp_path).signing_key().kid == kid
    published = json.loads(issuer.jwks_path.read_text())
    assert published == issuer.jwks()
    assert "d" not in published["keys"][0]


def test_a_key_readable_by_others_is_refused(tmp_path: Path) -> None:
    DevIssuer.from_data_dir(tmp_path).signing_key()
    key_file = tmp_path / "dev-issuer" / "signing-key.json"
    key_file.chmod(0o644)
    with pytest.raises(PermissionError, match="chmod 600"):
        read_private_jwk(key_file)


def test_personas_are_synthetic_people() -> None:
    issuer = DevIssuer(Path("unused"))
    for persona in Persona:
        claims = issuer.claims(TokenRequest(persona=persona), TrustSettings().scopes)
        pid = claims.get("helseid://claims/identity/pid")
        assert pid is None or (is_valid_fnr(pid) and int(pid[2:4]) > 80)


@pytest.mark.parametrize(
    ("persona", "role"),
    [
        (Persona.GP, Role.PERSONNEL),
        (Persona.EMERGENCY, Role.PERSONNEL),
        (Persona.NURSING_HOME, Role.PERSONNEL),
        (Persona.BTG, Role.PERSONNEL),
        (Persona.CITIZEN, Role.CITIZEN),
        (Persona.PUBLISHER, Role.SYSTEM),
    ],
)
def test_every_persona_authenticates(tmp_path: Path, persona: Persona, role: Role) -> None:
    token = DevIssuer.from_data_dir(tmp_path).issue(TokenRequest(persona=persona, patient=PATIENT))
    headers = {"Authorization": f"Bearer {token}"}
    result = authenticator_for(tmp_path).authenticate("GET", URL, headers)
    assert isinstance(result, AccessContext), result
    assert result.principal.role is role
    assert (result.attest is not None) == (role is Role.PERSONNEL)


def test_the_dev_issuer_is_not_trusted_unless_configured(tmp_path: Path) -> None:
    token = DevIssuer.from_data_dir(tmp_path).issue(TokenRequest())
    jwks = str(tmp_path / "dev-issuer" / "jwks.json")
    settings = TrustSettings(issuers=("https://helseid-sts.nhn.no",), jwks=(jwks,))
    result = Authenticator.from_settings(settings).authenticate(
        "GET", URL, {"Authorization": f"Bearer {token}"}
    )
    assert isinstance(result, AccessFailure)
    assert result.reason is Reason.UNTRUSTED_ISSUER


def test_cli_issue_jwks_and_dpop_proof(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {
        "DOKDELING_DATA_DIR": str(tmp_path),
        "DOKDELING_TRUST_ISSUERS": None,
        "DOKDELING_TRUST_JWKS": None,
    }
    jwks = runner.invoke(token_command, ["jwks"], env=env)
    assert jwks.exit_code == 0, jwks.output
    key_file = tmp_path / "dpop.json"
    issued = runner.invoke(
        token_command,
        ["issue", "--persona", "citizen", "--patient", PATIENT, "--dpop-key", str(key_file)],
        env=env,
    )
    assert issued.exit_code == 0, issued.output
    token = issued.stdout.strip()
    assert "not in DOKDELING_TRUST_ISSUERS" in issued.stderr
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    proof = runner.invoke(
        token_command,
        ["dpop-proof", "--key", str(key_file), "--url", URL, "--token", token],
        env=env,
    )
    assert proof.exit_code == 0, proof.output
    headers = {"Authorization": f"DPoP {token}", "DPoP": proof.stdout.strip()}
    result = authenticator_for(tmp_path).authenticate("POST", URL, headers)
    assert isinstance(result, AccessContext), result
    assert result.principal.pid == PATIENT
    assert result.dpop_jkt is not None


def test_cli_toa_and_scopes(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        token_command,
        ["issue", "--persona", "gp", "--toa", "1000", "--scope", "a/b", "--scope", "c/d"],
        env={"DOKDELING_DATA_DIR": str(tmp_path)},
    )
    assert result.exit_code == 0, result.output
    context = authenticator_for(tmp_path).authenticate(
        "GET", URL, {"Authorization": f"Bearer {result.stdout.strip()}"}
    )
    assert isinstance(context, AccessContext)
    assert context.scopes == {"a/b", "c/d"}
    assert context.attest is not None
    assert int(context.attest.toa.timestamp()) == 1000
