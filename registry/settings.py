"""The registry's configuration, read from `DOKDELING_*` variables (docs/configuration.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from registry.services.options import DEFAULT_MAX_RESULTS, RegistryOptions
from schemas.validation import ValidationProfile, configured_profile
from schemas.xml import XmlLimits
from servicekit.config import (
    DEVELOPMENT_HOME_COMMUNITY_ID,
    BrokerSettings,
    ConfigError,
    EnvReader,
    WebSettings,
    xml_limits_from_env,
)
from trustframework.audit.settings import AuditSettings
from trustframework.settings import TrustSettings

_FLAGS = {"1": True, "true": True, "yes": True, "on": True}
_FLAGS |= {"0": False, "false": False, "no": False, "off": False}


def _flag(env: EnvReader, name: str, default: bool) -> bool:
    value = env.raw(name)
    if value is None:
        return default
    if value.lower() not in _FLAGS:
        raise ConfigError(env.variable(name), f"{value!r} is not one of yes, no, true, false")
    return _FLAGS[value.lower()]


def validation_profile(env: EnvReader) -> ValidationProfile:
    """`DOKDELING_VALIDATION_PROFILE`, `_OVERRIDES`, `_DOCUMENT_TYPES` as one profile; a value
    `schemas.validation` refuses stops start-up naming its variable."""
    given = ("VALIDATION_PROFILE", "VALIDATION_OVERRIDES", "VALIDATION_DOCUMENT_TYPES")
    texts = [env.raw(name) or "" for name in given]
    for count, name in enumerate(given, start=1):
        try:
            configured_profile(*texts[:count])
        except ValueError as error:
            raise ConfigError(env.variable(name), str(error)) from None
    return configured_profile(*texts)


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistrySettings:
    data_dir: Path
    database_url: str
    broker: BrokerSettings
    home_community_id: str
    xml_limits: XmlLimits
    web: WebSettings
    log_level: str
    max_results: int
    """A stored query matching more objects fails with XDSTooManyResults."""
    allow_patient_id_update: bool
    """Whether ITI-57 may move an object to another patient (XDSPatientIDReconciliationError)."""
    validation: ValidationProfile
    """The metadata rules ITI-42 and ITI-57 submissions are checked against."""
    trust: TrustSettings
    """Who may call (tokens, scopes, attest); `DOKDELING_TRUST_*`."""

    def service_options(self) -> RegistryOptions:
        return RegistryOptions(
            max_results=self.max_results, allow_patient_id_update=self.allow_patient_id_update
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> RegistrySettings:
        """Raises `servicekit.config.ConfigError` naming the variable when a value is unusable."""
        env = EnvReader(environ)
        data_dir = env.data_dir()
        return cls(
            data_dir=data_dir,
            database_url=env.database_url("REGISTRY_DATABASE_URL", data_dir / "registry.sqlite"),
            broker=BrokerSettings.from_env(env, data_dir),
            home_community_id=env.urn_oid("HOME_COMMUNITY_ID", DEVELOPMENT_HOME_COMMUNITY_ID),
            xml_limits=xml_limits_from_env(env),
            web=WebSettings.from_env(env),
            log_level=env.log_level(),
            max_results=env.integer("REGISTRY_MAX_RESULTS", DEFAULT_MAX_RESULTS, minimum=1),
            allow_patient_id_update=_flag(env, "REGISTRY_ALLOW_PATIENT_ID_UPDATE", default=False),
            validation=validation_profile(env),
            trust=TrustSettings.from_env(environ),
        )


def serving_settings(environ: Mapping[str, str] = os.environ) -> RegistrySettings:
    """What `registry serve` checks before it starts workers: the registry's settings and the
    audit's (no audit key, no service: docs/audit.md §2)."""
    settings = RegistrySettings.from_env(environ)
    AuditSettings.from_env(environ)
    return settings
