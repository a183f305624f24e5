"""The repository's configuration, read from `DOKDELING_*` variables (docs/configuration.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from repository.model import RegistrationMode
from repository.services.policy import ReconcilePolicy, RegistrationPolicy
from repository.storage.location import StorageLocation, storage_from_env
from schemas.validation import ValidationProfile
from schemas.xml import XmlLimits
from servicekit.config import (
    DEVELOPMENT_HOME_COMMUNITY_ID,
    BrokerSettings,
    ConfigError,
    EnvReader,
    WebSettings,
    validation_profile_from_env,
    xml_limits_from_env,
)
from trustframework.audit.settings import AuditSettings
from trustframework.client import ClientCredentials
from trustframework.settings import TrustSettings

DEVELOPMENT_REPOSITORY_UNIQUE_ID = "2.25.150496902966859318392925087610156034821"
"""A UUID-based OID (X.667) for development deployments; set your own in production."""
DEFAULT_MAX_DOCUMENT_BYTES = 2 * 1024**3


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
    max_document_bytes: int
    """The largest document ITI-41 accepts (`DOKDELING_MAX_DOCUMENT_BYTES`)."""
    registration: RegistrationPolicy
    reconcile: ReconcilePolicy
    validation_profile: ValidationProfile
    trust: TrustSettings
    """Who may call (tokens, scopes, attest); `DOKDELING_TRUST_*`."""
    registry_token_file: Path | None = None
    """The repository's own access token for its ITI-42 to the registry, in a file kept fresh
    by something else (read again when it changes)."""
    registry_dpop_key_file: Path | None = None
    """The private key (JWK) the registry token is DPoP-bound to, if it is."""

    def registry_credentials(self) -> ClientCredentials | None:
        """How the ITI-42 client authenticates; None: it sends no token (the registry refuses)."""
        if self.registry_token_file is None:
            return None
        return ClientCredentials(
            self.registry_token_file, dpop_key_file=self.registry_dpop_key_file
        )

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
            max_document_bytes=env.integer(
                "MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES, minimum=1
            ),
            registration=registration_policy_from_env(env),
            reconcile=reconcile_policy_from_env(env),
            validation_profile=validation_profile_from_env(env),
            trust=TrustSettings.from_env(environ),
            **registry_credentials_from_env(env),
        )


def registry_credentials_from_env(env: EnvReader) -> dict[str, Path | None]:
    token = env.raw("REPOSITORY_REGISTRY_TOKEN_FILE")
    key = env.raw("REPOSITORY_REGISTRY_DPOP_KEY_FILE")
    if key is not None and token is None:
        problem = "a DPoP key needs a token: set DOKDELING_REPOSITORY_REGISTRY_TOKEN_FILE too"
        raise ConfigError(env.variable("REPOSITORY_REGISTRY_DPOP_KEY_FILE"), problem)
    return {
        "registry_token_file": Path(token).expanduser() if token else None,
        "registry_dpop_key_file": Path(key).expanduser() if key else None,
    }


def serving_settings(environ: Mapping[str, str] = os.environ) -> RepositorySettings:
    """What `repository serve` checks before it starts workers: the repository's settings and
    the audit's (no audit key, no service: docs/audit.md §2)."""
    settings = RepositorySettings.from_env(environ)
    AuditSettings.from_env(environ)
    return settings


def _mode(env: EnvReader) -> RegistrationMode:
    value = env.text("REGISTRATION_MODE", RegistrationMode.WAIT.value).lower()
    try:
        return RegistrationMode(value)
    except ValueError:
        choices = ", ".join(m.value for m in RegistrationMode)
        problem = f"{value!r} is not one of {choices}"
        raise ConfigError(env.variable("REGISTRATION_MODE"), problem) from None


def registration_policy_from_env(env: EnvReader) -> RegistrationPolicy:
    default = RegistrationPolicy()
    return RegistrationPolicy(
        mode=_mode(env),
        wait_timeout=timedelta(
            seconds=env.seconds("REGISTRATION_TIMEOUT", default.wait_timeout.total_seconds())
        ),
        connect_timeout=env.seconds("REGISTRY_CONNECT_TIMEOUT", default.connect_timeout),
        read_timeout=env.seconds("REGISTRY_READ_TIMEOUT", default.read_timeout),
        first_retry=timedelta(
            seconds=env.seconds("REGISTRATION_RETRY_FIRST", default.first_retry.total_seconds())
        ),
        max_retry=timedelta(
            seconds=env.seconds("REGISTRATION_RETRY_MAX", default.max_retry.total_seconds())
        ),
        poll_interval=env.seconds("REGISTRATION_POLL_INTERVAL", default.poll_interval),
    )


def reconcile_policy_from_env(env: EnvReader) -> ReconcilePolicy:
    default = ReconcilePolicy()
    return ReconcilePolicy(
        interval=timedelta(
            seconds=env.seconds("RECONCILE_INTERVAL", default.interval.total_seconds())
        ),
        storage_audit_interval=timedelta(
            seconds=env.seconds(
                "STORAGE_AUDIT_INTERVAL", default.storage_audit_interval.total_seconds()
            )
        ),
        orphan_grace=timedelta(
            seconds=env.seconds("ORPHAN_GRACE", default.orphan_grace.total_seconds())
        ),
        unregistered_alarm=timedelta(
            seconds=env.seconds(
                "REGISTRATION_ALARM_AFTER", default.unregistered_alarm.total_seconds()
            )
        ),
        overdue_after=timedelta(
            seconds=env.seconds("REGISTRATION_OVERDUE_AFTER", default.overdue_after.total_seconds())
        ),
    )
