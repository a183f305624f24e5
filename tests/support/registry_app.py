"""A registry app as `registry serve` builds it, on a temporary SQLite file, with an audit key
and the development issuer trusted; and the tokens its callers send."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from registry.app import create_app
from registry.settings import RegistrySettings
from schemas import vocabulary as v
from servicekit.runtime import migrations_of
from trustframework.audit.sealing import AuditKey
from trustframework.audit.settings import AuditSettings
from trustframework.devissuer import DEV_ISSUER, DevIssuer, Persona, TokenRequest


def service_environ(folder: Path, **variables: str) -> dict[str, str]:
    """`DOKDELING_*` for a service under `folder`: its own audit key, the development issuer
    (key under `folder/dev-issuer`) trusted, IHE test patients allowed in attests."""
    issuer = DevIssuer.from_data_dir(folder)
    issuer.signing_key()
    environ = {
        "DOKDELING_DATA_DIR": str(folder),
        "DOKDELING_AUDIT_KEY": AuditKey.generate().to_base64(),
        "DOKDELING_TRUST_ISSUERS": DEV_ISSUER,
        "DOKDELING_TRUST_JWKS": str(issuer.jwks_path),
        "DOKDELING_TRUST_PATIENT_AUTHORITIES": v.IHE_TEST_PATIENT_AUTHORITY,
    }
    environ.update({f"DOKDELING_{name}": value for name, value in variables.items()})
    return environ


@dataclass
class RegistryApp:
    """The app, its settings and the development issuer its tokens come from."""

    app: Flask
    settings: RegistrySettings
    issuer: DevIssuer

    def token(self, persona: Persona = Persona.PUBLISHER, **request: object) -> str:
        return self.issuer.issue(TokenRequest(persona=persona, **request))  # type: ignore[arg-type]

    def bearer(self, persona: Persona = Persona.PUBLISHER, **request: object) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(persona, **request)}"}


def registry_app(folder: Path, *, migrate: bool = True, **variables: str) -> RegistryApp:
    environ = service_environ(folder, **variables)
    settings = RegistrySettings.from_env(environ)
    if migrate:
        migrations_of("registry").upgrade(settings.database_url)
    app = create_app(settings, AuditSettings.from_env(environ))
    return RegistryApp(app=app, settings=settings, issuer=DevIssuer.from_data_dir(folder))
