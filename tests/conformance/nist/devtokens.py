"""`--dev-issuer`: the replay signs its own tokens with the development issuer (interface §5).

For a deployment that trusts `urn:dokdeling:dev-issuer` (it is in DOKDELING_TRUST_ISSUERS and
DOKDELING_TRUST_JWKS names its key; `trustframework.devissuer`), each request gets the token a
real client of that kind would send:
- publishing and updating (ITI-41, ITI-42, ITI-57): a publishing system (persona `publisher`);
- the patient feed: that system with the admin scope only;
- reading (ITI-18, ITI-43): a GP (persona `gp`) whose attest binds the patient the step concerns.
Scope names and audience are the deployment's (`TrustSettings.from_env`). When it requires DPoP,
the tokens are bound to a key made for the run and each request carries a proof for its URL.
A token is reused for ten minutes; its attest would expire after sixty.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from joserfc.jwk import ECKey

from tests.conformance.nist.client import Access
from trustframework.client import make_dpop_proof
from trustframework.devissuer import DEV_ISSUER, DevIssuer, Persona, TokenRequest
from trustframework.settings import Scopes, TrustSettings

REUSE_SECONDS = 600.0


@dataclass(frozen=True, slots=True)
class _Kind:
    persona: Persona
    binds_patient: bool
    scopes: Callable[[Scopes], tuple[str, ...] | None] = lambda _: None  # None: the persona's


_KINDS: Mapping[Access, _Kind] = {
    Access.PUBLISH: _Kind(Persona.PUBLISHER, binds_patient=False),
    Access.UPDATE: _Kind(Persona.PUBLISHER, binds_patient=False),
    Access.ADMIN: _Kind(Persona.PUBLISHER, binds_patient=False, scopes=lambda s: (s.admin,)),
    Access.READ_METADATA: _Kind(Persona.GP, binds_patient=True),
    Access.READ_DOCUMENT: _Kind(Persona.GP, binds_patient=True),
}


class DevIssuerUnusable(ValueError):
    """The deployment's settings would refuse the development issuer's tokens."""


class DevIssuerCredentials:
    """Headers with development-issuer tokens, one per kind of request and patient."""

    def __init__(
        self,
        issuer: DevIssuer,
        settings: TrustSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._issuer = issuer
        self._settings = settings
        self._clock = clock
        self._dpop_key = (
            ECKey.generate_key("P-256", private=True) if settings.require_dpop else None
        )
        self._tokens: dict[tuple[Access, str | None], tuple[str, float]] = {}

    @classmethod
    def for_deployment(
        cls, data_dir: Path, settings: TrustSettings, patient_authorities: Iterable[str] = ()
    ) -> DevIssuerCredentials:
        """The issuer whose key is under `data_dir`. DevIssuerUnusable when `settings` do not
        trust it, or do not accept the `patient_authorities` in a reader's attest (every token,
        or every read, would be refused)."""
        if DEV_ISSUER not in settings.issuers:
            raise DevIssuerUnusable(
                f"the development issuer {DEV_ISSUER} is not in DOKDELING_TRUST_ISSUERS"
            )
        refused = sorted(set(patient_authorities) - settings.patient_id_systems)
        if refused:
            raise DevIssuerUnusable(
                f"an attest may not name patients of {', '.join(refused)}: add them to "
                "DOKDELING_TRUST_PATIENT_AUTHORITIES, or give patients the deployment "
                "accepts (--patient-id, --alt-patient-id, --query-patient-id)"
            )
        return cls(DevIssuer.from_data_dir(data_dir), settings)

    def _token(self, access: Access, patient_id: str | None) -> str:
        kind = _KINDS[access]
        patient = patient_id if kind.binds_patient else None
        cached = self._tokens.get((access, patient))
        now = self._clock()
        if cached is not None and now - cached[1] < REUSE_SECONDS:
            return cached[0]
        request = TokenRequest(
            persona=kind.persona,
            patient=patient,
            scopes=kind.scopes(self._settings.scopes),
            audience=self._settings.audience,
            dpop_jkt=self._dpop_key.thumbprint() if self._dpop_key else None,
        )
        token = self._issuer.issue(request, self._settings.scopes)
        self._tokens[(access, patient)] = (token, now)
        return token

    def headers(self, access: Access, *, url: str, patient_id: str | None) -> dict[str, str]:
        token = self._token(access, patient_id)
        if self._dpop_key is None:
            return {"Authorization": f"Bearer {token}"}
        proof = make_dpop_proof(self._dpop_key, method="POST", url=url, access_token=token)
        return {"Authorization": f"DPoP {token}", "DPoP": proof}
