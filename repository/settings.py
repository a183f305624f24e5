"""The repository's configuration, read from `DOKDELING_*` variables (docs/configuration.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from repository.storage.location import StorageLocation, storage_from_env
from schemas.xml import XmlLimits
from servicekit.config import (
    DEVELOPMENT_HOME_COMMUNITY_ID,
    BrokerSettings,
    EnvReader,
    WebSettings,
    xml_limits_from_env,
)

DEVELOPMENT_REPOSITORY_UNIQUE_ID = "2.25.150496902966859318392925087610156034821"
"""A UUID-based OID (X.667) for development deployments; set your own in production."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RepositorySettings:
    data_dir: Path
    database_url: str
    storage: StorageLocation
    broker: BrokerSettings
    registry_url: str
    """The registry's ITI-42 endpoint, where provided documents are registered."""
    repository_unique_id: str
    home_community_id: str
    xml_limits: XmlLimits
    web: WebSettings
    log_level: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> RepositorySettings:
        """Raises `servicekit.config.ConfigError` naming the variable when a value is unusable."""
        env = EnvReader(environ)
        data_dir = env.data_dir()
        return cls(
            data_dir=data_dir,
            database_url=env.database_url(
                "REPOSITORY_DATABASE_URL", data_dir / "repository.sqlite"
            ),
            storage=storage_from_env(env, data_dir),
            broker=BrokerSettings.from_env(env, data_dir),
            registry_url=env.http_url("REGISTRY_URL", "http://127.0.0.1:8010/xds/registry"),
            repository_unique_id=env.oid("REPOSITORY_UNIQUE_ID", DEVELOPMENT_REPOSITORY_UNIQUE_ID),
            home_community_id=env.urn_oid("HOME_COMMUNITY_ID", DEVELOPMENT_HOME_COMMUNITY_ID),
            xml_limits=xml_limits_from_env(env),
            web=WebSettings.from_env(env),
            log_level=env.log_level(),
        )
