"""Access tokens for the tools that call a deployment (demo seeding, `make bench`): the token the
operator gave (`--token`), or tokens signed with the development issuer when the deployment
trusts it (interface §5). Access control is never switched off for a tool.

Signed tokens are what real clients would send: an organisation's EPJ publishing its own
documents (persona `publisher` with that organisation's number as `orgnr_parent`, so the
registry's publisher rule holds), a GP whose attest binds the patient being read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from dokdeling.run import development_trust
from schemas.model import Cx
from trustframework import context as c
from trustframework.devissuer import DEV_ISSUER, DevIssuer, Persona, TokenRequest
from trustframework.settings import TrustSettings


class DevIssuerNotTrusted(RuntimeError):
    """The deployment does not trust the development issuer, and no token was given."""


class ToolTokens(Protocol):
    def publisher(self, organisation_number: str) -> str:
        """A publishing system's token for documents of that organisation."""
        ...

    def reader(self, patient: Cx) -> str:
        """A health professional's token whose attest binds `patient`."""
        ...


class GivenToken:
    """`--token`: one token for every request (it must carry the scopes the tool needs)."""

    def __init__(self, token: str) -> None:
        self._token = token

    def publisher(self, organisation_number: str) -> str:
        return self._token

    def reader(self, patient: Cx) -> str:
        return self._token


class DevIssuerTokens:
    """Tokens signed with the development issuer whose key is under the data folder."""

    def __init__(self, issuer: DevIssuer, settings: TrustSettings) -> None:
        self._issuer = issuer
        self._settings = settings

    @classmethod
    def for_deployment(
        cls, data_dir: Path, environ: Mapping[str, str] = os.environ
    ) -> DevIssuerTokens:
        """The deployment's trust settings as `dokdeling run` completes them; raises
        DevIssuerNotTrusted when they do not include the development issuer."""
        settings = TrustSettings.from_env({**environ, **development_trust(environ, data_dir)})
        if DEV_ISSUER not in settings.issuers:
            raise DevIssuerNotTrusted(
                f"the deployment does not trust the development issuer {DEV_ISSUER} "
                "(DOKDELING_TRUST_ISSUERS); give a token with --token"
            )
        return cls(DevIssuer.from_data_dir(data_dir), settings)

    def publisher(self, organisation_number: str) -> str:
        request = TokenRequest(
            persona=Persona.PUBLISHER,
            audience=self._settings.audience,
            extra_claims={
                "client_id": f"dokdeling-synthetic-epj-{organisation_number}",
                c.CLAIM_ORGNR_PARENT: organisation_number,
            },
        )
        return self._issuer.issue(request, self._settings.scopes)

    def reader(self, patient: Cx) -> str:
        request = TokenRequest(
            persona=Persona.GP, patient=patient.render(), audience=self._settings.audience
        )
        return self._issuer.issue(request, self._settings.scopes)

    def auditor(self, organisation_number: str) -> str:
        """The data controller's auditor (scope …/audit) reading its records."""
        request = TokenRequest(
            persona=Persona.PUBLISHER,
            scopes=(self._settings.scopes.audit,),
            audience=self._settings.audience,
            extra_claims={c.CLAIM_ORGNR_PARENT: organisation_number},
        )
        return self._issuer.issue(request, self._settings.scopes)
