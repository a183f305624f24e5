"""The registry's configuration, read from `DOKDELING_*` variables (docs/configuration.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from registry.services.options import DEFAULT_MAX_RESULTS, RegistryOptions
from schemas.xml import XmlLimits
from servicekit.config import (
    DEVELOPMENT_HOME_COMMUNITY_ID,
    BrokerSettings,
    ConfigError,
    EnvReader,
    WebSettings,
    xml_limits_from_env,
)

_FLAGS = {"1": True, "true": True, "yes": True, "on": True}
_FLAGS |= {"0": False, "false": False, "no": False, "off": False}


def _flag(env: EnvReader, name: str, default: bool) -> bool:
    value = env.raw(name)
    if value is None:
        return default
    if value.lower() not in _FLAGS:
        raise ConfigError(env.variable(name), f"{value!r} is not one of yes, no, true, false")
    return _FLAGS[value.lower()]


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
        )
