"""The registry's configuration, read from `DOKDELING_*` variables (docs/configuration.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from schemas.xml import XmlLimits
from servicekit.config import (
    DEVELOPMENT_HOME_COMMUNITY_ID,
    BrokerSettings,
    EnvReader,
    WebSettings,
    xml_limits_from_env,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistrySettings:
    data_dir: Path
    database_url: str
    broker: BrokerSettings
    home_community_id: str
    xml_limits: XmlLimits
    web: WebSettings
    log_level: str

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
        )
