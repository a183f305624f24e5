"""The audit's configuration from `DOKDELING_AUDIT_*` variables (docs/audit.md, "Configuration").

The key: `DOKDELING_AUDIT_KEY` (base64 of 32 random bytes). Without it a service reads the key
file `<data dir>/audit.key`, which only `dokdeling run` creates (`ensure_embedded_key`, mode
0600); when neither exists the service refuses to start. A key is never part of the repository.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from servicekit.config import ConfigError, EnvReader
from trustframework.audit.delivery.syslog import DEFAULT_SD_ID
from trustframework.audit.sealing import AuditKey, AuditKeyError, AuditKeyring

KEY_FILE_NAME = "audit.key"
_SD_ID = re.compile(r"[!#-<>?A-Z\\^-~]{1,24}@\d+(\.\d+)*")
_KEY_HINT = "base64 of 32 random bytes, e.g. from `openssl rand -base64 32`"


@dataclass(frozen=True, slots=True, kw_only=True)
class TlsSettings:
    """How the delivery connects to data controllers' receivers."""

    ca_bundle: Path | None
    """PEM file of the CAs receivers' certificates must chain to; None: the system's."""
    client_certificate: Path | None
    """PEM certificate (with its chain) for mutual TLS; its key in `client_key`."""
    client_key: Path | None
    timeout: float


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliverySettings:
    tls: TlsSettings
    batch_size: int
    """Outbox rows one delivery task sends."""
    retry_base: float
    retry_max: float
    """Backoff: base·2^attempt seconds, at most retry_max, with jitter."""
    sweep_after: float
    """Seconds an outbox row may be overdue before the sweeper enqueues it again."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditSettings:
    keyring: AuditKeyring
    delivery: DeliverySettings
    operator_organisation: str | None
    """Organisation number whose auditors see every record of this source (its operator)."""
    syslog_sd_id: str
    """The RFC 5424 SD-ID (`name@PEN`) of the record identity in syslog messages."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> AuditSettings:
        """Raises `ConfigError` naming the variable when a value is unusable or the key missing."""
        env = EnvReader(environ)
        return cls(
            keyring=load_keyring(env, env.data_dir()),
            delivery=_delivery(env),
            operator_organisation=env.raw("AUDIT_OPERATOR_ORGANISATION"),
            syslog_sd_id=_sd_id(env),
        )


def _sd_id(env: EnvReader) -> str:
    value = env.text("AUDIT_SYSLOG_SD_ID", DEFAULT_SD_ID)
    if not _SD_ID.fullmatch(value):
        raise ConfigError(env.variable("AUDIT_SYSLOG_SD_ID"), f"{value!r} is not name@number")
    return value


def _path(env: EnvReader, name: str) -> Path | None:
    value = env.raw(name)
    if value is None:
        return None
    path = Path(value).expanduser()
    if not path.is_file():
        raise ConfigError(env.variable(name), f"{path} is not a file")
    return path


def _delivery(env: EnvReader) -> DeliverySettings:
    tls = TlsSettings(
        ca_bundle=_path(env, "AUDIT_CA_BUNDLE"),
        client_certificate=_path(env, "AUDIT_CLIENT_CERTIFICATE"),
        client_key=_path(env, "AUDIT_CLIENT_KEY"),
        timeout=env.seconds("AUDIT_DELIVERY_TIMEOUT", 10.0, minimum=0.1),
    )
    if (tls.client_certificate is None) != (tls.client_key is None):
        raise ConfigError(
            env.variable("AUDIT_CLIENT_KEY"), "give both the client certificate and its key"
        )
    return DeliverySettings(
        tls=tls,
        batch_size=env.integer("AUDIT_DELIVERY_BATCH", 100, minimum=1),
        retry_base=env.seconds("AUDIT_RETRY_BASE", 2.0),
        retry_max=env.seconds("AUDIT_RETRY_MAX", 600.0),
        sweep_after=env.seconds("AUDIT_SWEEP_AFTER", 60.0, minimum=1.0),
    )


def _key(text: str, variable: str) -> AuditKey:
    try:
        return AuditKey.from_base64(text)
    except AuditKeyError as error:
        raise ConfigError(variable, f"{error} ({_KEY_HINT})") from None


def load_keyring(env: EnvReader, data_dir: Path) -> AuditKeyring:
    """The current key (`DOKDELING_AUDIT_KEY` or the embedded key file) and previous keys."""
    variable = env.variable("AUDIT_KEY")
    configured = env.raw("AUDIT_KEY")
    if configured is not None:
        current = _key(configured, variable)
    else:
        current = _key(_read_key_file(data_dir / KEY_FILE_NAME, variable), variable)
    previous_variable = env.variable("AUDIT_PREVIOUS_KEYS")
    previous = [
        _key(text, previous_variable)
        for text in (env.raw("AUDIT_PREVIOUS_KEYS") or "").split(",")
        if text.strip()
    ]
    return AuditKeyring(current, previous)


def _read_key_file(path: Path, variable: str) -> str:
    if not path.is_file():
        raise ConfigError(
            variable,
            f"required ({_KEY_HINT}); only `dokdeling run` creates an embedded key ({path})",
        )
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise ConfigError(variable, f"the key file {path} must be readable by its owner only")
    return path.read_text(encoding="ascii")


def ensure_embedded_key(data_dir: Path) -> Path:
    """`<data dir>/audit.key` for `dokdeling run`: created once with mode 0600, kept after."""
    path = data_dir / KEY_FILE_NAME
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    with os.fdopen(descriptor, "w", encoding="ascii") as key_file:
        key_file.write(AuditKey.generate().to_base64() + "\n")
    return path
