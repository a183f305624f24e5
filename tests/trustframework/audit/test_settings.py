"""The audit key comes from the environment or the embedded key file, never from nowhere."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from servicekit.config import ConfigError
from trustframework.audit.sealing import AuditKey
from trustframework.audit.settings import AuditSettings, ensure_embedded_key


def test_without_a_key_the_settings_refuse(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DOKDELING_AUDIT_KEY: required"):
        AuditSettings.from_env({"DOKDELING_DATA_DIR": str(tmp_path)})


def test_the_configured_key_is_used(tmp_path: Path) -> None:
    key, old = AuditKey.generate(), AuditKey.generate()
    settings = AuditSettings.from_env(
        {
            "DOKDELING_DATA_DIR": str(tmp_path),
            "DOKDELING_AUDIT_KEY": key.to_base64(),
            "DOKDELING_AUDIT_PREVIOUS_KEYS": old.to_base64(),
        }
    )
    assert settings.keyring.current.key_id == key.key_id
    assert settings.keyring.key(old.key_id).key_id == old.key_id


def test_a_malformed_key_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DOKDELING_AUDIT_KEY: an audit key is 32 bytes"):
        AuditSettings.from_env({"DOKDELING_DATA_DIR": str(tmp_path), "DOKDELING_AUDIT_KEY": "YWJj"})


def test_the_embedded_key_file_is_private_and_stable(tmp_path: Path) -> None:
    path = ensure_embedded_key(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    first = AuditSettings.from_env({"DOKDELING_DATA_DIR": str(tmp_path)}).keyring.current.key_id
    ensure_embedded_key(tmp_path)
    second = AuditSettings.from_env({"DOKDELING_DATA_DIR": str(tmp_path)}).keyring.current.key_id
    assert first == second


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    ensure_embedded_key(tmp_path).chmod(0o644)
    with pytest.raises(ConfigError, match="owner only"):
        AuditSettings.from_env({"DOKDELING_DATA_DIR": str(tmp_path)})


def test_mutual_tls_needs_certificate_and_key(tmp_path: Path) -> None:
    certificate = tmp_path / "client.pem"
    certificate.write_text("-")
    environ = {
        "DOKDELING_DATA_DIR": str(tmp_path),
        "DOKDELING_AUDIT_KEY": AuditKey.generate().to_base64(),
        "DOKDELING_AUDIT_CLIENT_CERTIFICATE": str(certificate),
    }
    with pytest.raises(ConfigError, match="DOKDELING_AUDIT_CLIENT_KEY"):
        AuditSettings.from_env(environ)
