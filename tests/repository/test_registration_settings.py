"""The variables of document storage, registration and reconciliation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from repository.model import RegistrationMode
from repository.services.policy import RegistrationPolicy
from repository.settings import DEFAULT_MAX_DOCUMENT_BYTES, RepositorySettings
from repository.storage.location import S3Storage
from servicekit.config import ConfigError


def test_defaults(tmp_path: Path) -> None:
    settings = RepositorySettings.from_env({"DOKDELING_DATA_DIR": str(tmp_path)})
    assert settings.max_document_bytes == DEFAULT_MAX_DOCUMENT_BYTES
    assert settings.registration == RegistrationPolicy()
    assert settings.registration.mode is RegistrationMode.WAIT
    assert settings.validation_profile.name == "norway"


def test_every_variable_is_read(tmp_path: Path) -> None:
    settings = RepositorySettings.from_env(
        {
            "DOKDELING_DATA_DIR": str(tmp_path),
            "DOKDELING_MAX_DOCUMENT_BYTES": "1048576",
            "DOKDELING_REGISTRATION_MODE": "Deferred",
            "DOKDELING_REGISTRATION_TIMEOUT": "12.5",
            "DOKDELING_REGISTRY_CONNECT_TIMEOUT": "3",
            "DOKDELING_REGISTRY_READ_TIMEOUT": "20",
            "DOKDELING_REGISTRATION_RETRY_FIRST": "1",
            "DOKDELING_REGISTRATION_RETRY_MAX": "60",
            "DOKDELING_REGISTRATION_POLL_INTERVAL": "0.1",
            "DOKDELING_RECONCILE_INTERVAL": "30",
            "DOKDELING_STORAGE_AUDIT_INTERVAL": "3600",
            "DOKDELING_ORPHAN_GRACE": "7200",
            "DOKDELING_REGISTRATION_OVERDUE_AFTER": "45",
            "DOKDELING_REGISTRATION_ALARM_AFTER": "600",
            "DOKDELING_VALIDATION_PROFILE": "ihe-strict",
        }
    )
    policy = settings.registration
    assert settings.max_document_bytes == 1048576
    assert policy.mode is RegistrationMode.DEFERRED
    assert policy.wait_timeout == timedelta(seconds=12.5)
    assert (policy.connect_timeout, policy.read_timeout) == (3.0, 20.0)
    assert policy.lease == timedelta(seconds=33)
    assert [policy.backoff(n).total_seconds() for n in (1, 2, 3, 7, 8)] == [1, 2, 4, 60, 60]
    assert settings.reconcile.interval == timedelta(seconds=30)
    assert settings.reconcile.storage_audit_interval == timedelta(hours=1)
    assert settings.reconcile.orphan_grace == timedelta(hours=2)
    assert settings.reconcile.overdue_after == timedelta(seconds=45)
    assert settings.reconcile.unregistered_alarm == timedelta(minutes=10)
    assert settings.validation_profile.name == "ihe-strict"


def test_the_bucket_is_created_only_when_asked() -> None:
    environ = {
        "DOKDELING_STORAGE_URL": "s3://dokumenter?endpoint=http://127.0.0.1:8333",
        "DOKDELING_S3_ACCESS_KEY": "a",
        "DOKDELING_S3_SECRET_KEY": "b",
    }
    storage = RepositorySettings.from_env(environ).storage
    assert isinstance(storage, S3Storage)
    assert not storage.create_bucket
    storage = RepositorySettings.from_env({**environ, "DOKDELING_S3_CREATE_BUCKET": "yes"}).storage
    assert isinstance(storage, S3Storage)
    assert storage.create_bucket


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("REGISTRATION_MODE", "later", "'later' is not one of wait, deferred"),
        ("REGISTRATION_TIMEOUT", "soon", "not a number of seconds"),
        ("MAX_DOCUMENT_BYTES", "0", "below the minimum 1"),
        ("S3_CREATE_BUCKET", "perhaps", "neither true nor false"),
        ("VALIDATION_PROFILE", "strengt", "strengt"),
    ],
)
def test_unusable_values_name_their_variable(name: str, value: str, message: str) -> None:
    environ = {
        f"DOKDELING_{name}": value,
        "DOKDELING_STORAGE_URL": "s3://d?endpoint=http://127.0.0.1:8333",
        "DOKDELING_S3_ACCESS_KEY": "a",
        "DOKDELING_S3_SECRET_KEY": "b",
    }
    with pytest.raises(ConfigError) as raised:
        RepositorySettings.from_env(environ)
    assert str(raised.value).startswith(f"DOKDELING_{name}")
    assert message in str(raised.value)
