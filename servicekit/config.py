"""`DOKDELING_*` environment variables read into typed values; errors name the variable.

Each service's settings module builds its frozen dataclass from these readers; the shared pieces
(broker, web server, XML limits) are frozen dataclasses here so both services parse them alike.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from schemas.validation import ValidationProfile, configured_profile
from schemas.xml import DEFAULT_LIMITS, XmlLimits

PREFIX = "DOKDELING_"
MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
"""prometheus-client's multiprocess folder, set by `servicekit.server` for gunicorn workers."""
_OID = re.compile(r"^[0-2](\.(0|[1-9][0-9]*))+$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_DATABASE_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg")
EMBEDDED_BROKER_SCHEME = "sqla+sqlite"
DEVELOPMENT_HOME_COMMUNITY_ID = "urn:oid:2.25.217093432624305963335519592433452387671"
"""A UUID-based OID (X.667) for development deployments; production sets its own."""


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message starts with the variable's name."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
        self.problem = problem


class EnvReader:
    """Typed access to `DOKDELING_<NAME>` variables of one environment mapping."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    @staticmethod
    def variable(name: str) -> str:
        return PREFIX + name

    def raw(self, name: str) -> str | None:
        value = self._environ.get(self.variable(name))
        if value is None or not value.strip():
            return None
        return value.strip()

    def text(self, name: str, default: str) -> str:
        return self.raw(name) or default

    def integer(self, name: str, default: int, *, minimum: int = 0) -> int:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(self.variable(name), f"{value!r} is not a whole number") from None
        if number < minimum:
            raise ConfigError(self.variable(name), f"{number} is below the minimum {minimum}")
        return number

    def seconds(self, name: str, default: float, *, minimum: float = 0.001) -> float:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = float(value)
        except ValueError:
            problem = f"{value!r} is not a number of seconds"
            raise ConfigError(self.variable(name), problem) from None
        if not number >= minimum:  # also refuses NaN
            raise ConfigError(self.variable(name), f"{value} is below the minimum {minimum} s")
        return number

    def oid(self, name: str, default: str) -> str:
        value = self.text(name, default)
        if not _OID.match(value):
            raise ConfigError(self.variable(name), f"{value!r} is not an OID (e.g. 2.16.578.1)")
        return value

    def urn_oid(self, name: str, default: str) -> str:
        value = self.text(name, default)
        if not value.startswith("urn:oid:") or not _OID.match(value.removeprefix("urn:oid:")):
            raise ConfigError(self.variable(name), f"{value!r} is not of the form urn:oid:<OID>")
        return value

    def http_url(self, name: str, default: str) -> str:
        value = self.text(name, default)
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(self.variable(name), f"{value!r} is not an http(s) URL")
        return value

    def log_level(self) -> str:
        value = self.text("LOG_LEVEL", "INFO").upper()
        if value not in _LOG_LEVELS:
            raise ConfigError(self.variable("LOG_LEVEL"), f"{value!r} is not one of {_LOG_LEVELS}")
        return value

    def data_dir(self) -> Path:
        return Path(self.text("DATA_DIR", "./var")).expanduser().resolve()

    def database_url(self, name: str, default_file: Path) -> str:
        value = self.raw(name)
        if value is None:
            return f"sqlite:///{default_file}"
        scheme = urlsplit(value).scheme
        if scheme not in _DATABASE_SCHEMES:
            raise ConfigError(
                self.variable(name),
                f"unsupported database {scheme or value!r}; use sqlite:///FILE or "
                "postgresql+psycopg://USER@HOST:PORT/DB",
            )
        return value.replace("postgresql://", "postgresql+psycopg://", 1)


@dataclass(frozen=True, slots=True, kw_only=True)
class BrokerSettings:
    """Where Celery tasks go, and how often the worker proves it is alive."""

    url: str
    polling_interval: float
    """Seconds between polls of the embedded (SQLite) broker; ignored by Redis."""
    heartbeat_interval: float
    """Seconds between worker heartbeats; a worker unseen for three intervals is stale."""

    @property
    def embedded(self) -> bool:
        return self.url.startswith(EMBEDDED_BROKER_SCHEME + "://")

    @property
    def heartbeat_stale_after(self) -> float:
        return 3 * self.heartbeat_interval

    @classmethod
    def from_env(cls, env: EnvReader, data_dir: Path) -> BrokerSettings:
        url = env.text("BROKER_URL", f"{EMBEDDED_BROKER_SCHEME}:///{data_dir / 'broker.sqlite'}")
        scheme = urlsplit(url).scheme
        if scheme not in (EMBEDDED_BROKER_SCHEME, "redis", "rediss"):
            raise ConfigError(
                env.variable("BROKER_URL"),
                f"unsupported broker {scheme or url!r}; use redis://HOST:PORT/DB or "
                f"{EMBEDDED_BROKER_SCHEME}:///FILE (embedded)",
            )
        return cls(
            url=url,
            polling_interval=env.seconds("BROKER_POLLING_INTERVAL", 0.1),
            heartbeat_interval=env.seconds("WORKER_HEARTBEAT_INTERVAL", 5.0, minimum=0.1),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class WebSettings:
    """The gunicorn server a service runs under (`dokdeling <service> serve`)."""

    workers: int
    threads: int
    timeout: int
    """Seconds a worker may be silent before gunicorn restarts it."""
    trusted_proxies: int = 0
    """Reverse proxies in front whose X-Forwarded-* headers give the URL clients address."""

    @classmethod
    def from_env(cls, env: EnvReader) -> WebSettings:
        return cls(
            workers=env.integer("WEB_WORKERS", 2, minimum=1),
            threads=env.integer("WEB_THREADS", 4, minimum=1),
            timeout=env.integer("WEB_TIMEOUT", 120, minimum=1),
            trusted_proxies=env.integer("WEB_TRUSTED_PROXIES", 0),
        )


def xml_limits_from_env(env: EnvReader) -> XmlLimits:
    """Bounds for every received XML document (`schemas.xml.parse_xml`)."""
    return XmlLimits(
        max_bytes=env.integer("XML_MAX_BYTES", DEFAULT_LIMITS.max_bytes, minimum=1024),
        max_depth=env.integer("XML_MAX_DEPTH", DEFAULT_LIMITS.max_depth, minimum=8),
        max_elements=env.integer("XML_MAX_ELEMENTS", DEFAULT_LIMITS.max_elements, minimum=16),
    )


def validation_profile_from_env(env: EnvReader) -> ValidationProfile:
    """The metadata validation profile (docs/validation.md): DOKDELING_VALIDATION_PROFILE,
    DOKDELING_VALIDATION_OVERRIDES and DOKDELING_VALIDATION_DOCUMENT_TYPES."""
    try:
        return configured_profile(
            env.text("VALIDATION_PROFILE", ""),
            env.text("VALIDATION_OVERRIDES", ""),
            env.text("VALIDATION_DOCUMENT_TYPES", ""),
        )
    except ValueError as exc:
        raise ConfigError(env.variable("VALIDATION_PROFILE"), str(exc)) from None


def configure_logging(level: str) -> None:
    """Plain stderr logging for a service or worker process."""
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"
    )
    if level != "DEBUG":
        logging.getLogger("alembic").setLevel(logging.WARNING)  # script loading chatter
