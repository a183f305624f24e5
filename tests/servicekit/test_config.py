from __future__ import annotations

import re
from pathlib import Path

import pytest

from servicekit.config import (
    BrokerSettings,
    ConfigError,
    EnvReader,
    WebSettings,
    xml_limits_from_env,
)


def reader(**variables: str) -> EnvReader:
    return EnvReader({f"DOKDELING_{name}": value for name, value in variables.items()})


@pytest.mark.parametrize(
    ("variables", "variable", "problem"),
    [
        ({"WEB_WORKERS": "many"}, "DOKDELING_WEB_WORKERS", "not a whole number"),
        ({"WEB_WORKERS": "0"}, "DOKDELING_WEB_WORKERS", "below the minimum 1"),
        ({"BROKER_POLLING_INTERVAL": "nan"}, "DOKDELING_BROKER_POLLING_INTERVAL", "below"),
        ({"WORKER_HEARTBEAT_INTERVAL": "soon"}, "DOKDELING_WORKER_HEARTBEAT_INTERVAL", "seconds"),
        ({"BROKER_URL": "amqp://rabbit/"}, "DOKDELING_BROKER_URL", "unsupported broker 'amqp'"),
        ({"XML_MAX_DEPTH": "2"}, "DOKDELING_XML_MAX_DEPTH", "below the minimum 8"),
    ],
)
def test_unusable_values_name_their_variable(
    variables: dict[str, str], variable: str, problem: str
) -> None:
    env = reader(**variables)

    def read_all() -> None:
        BrokerSettings.from_env(env, Path("/data"))
        WebSettings.from_env(env)
        xml_limits_from_env(env)

    with pytest.raises(ConfigError) as raised:
        read_all()
    assert raised.value.variable == variable
    assert str(raised.value).startswith(variable + ": ")
    assert problem in raised.value.problem


def test_defaults_are_the_embedded_broker_under_the_data_dir(tmp_path: Path) -> None:
    env = reader(DATA_DIR=str(tmp_path))
    broker = BrokerSettings.from_env(env, env.data_dir())
    assert broker.url == f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"
    assert broker.embedded
    assert broker.heartbeat_stale_after == 3 * broker.heartbeat_interval
    assert WebSettings.from_env(env) == WebSettings(workers=2, threads=4, timeout=120)


def test_redis_broker_and_blank_values() -> None:
    env = reader(BROKER_URL="redis://127.0.0.1:6379/0", WEB_THREADS="  ")
    broker = BrokerSettings.from_env(env, Path("/data"))
    assert not broker.embedded
    assert WebSettings.from_env(env).threads == 4  # blank means unset


@pytest.mark.parametrize(
    ("method", "value", "problem"),
    [
        ("oid", "1.2.abc", "is not an OID"),
        ("oid", "3.1", "is not an OID"),
        ("urn_oid", "2.16.578.1", "urn:oid:<OID>"),
        ("http_url", "ftp://host/x", "not an http(s) URL"),
    ],
)
def test_identifier_and_url_checks(method: str, value: str, problem: str) -> None:
    env = reader(VALUE=value)
    with pytest.raises(ConfigError, match=re.escape(problem)):
        getattr(env, method)("VALUE", "unused")


def test_database_urls() -> None:
    env = reader(
        A="postgresql://dokdeling@db:5432/registry",
        B="mysql://root@db/x",
    )
    assert (
        env.database_url("A", Path("/d/a.sqlite"))
        == "postgresql+psycopg://dokdeling@db:5432/registry"
    )
    assert env.database_url("C", Path("/d/c.sqlite")) == "sqlite:////d/c.sqlite"
    with pytest.raises(ConfigError, match="DOKDELING_B: unsupported database 'mysql'"):
        env.database_url("B", Path("/d/b.sqlite"))


def test_log_level() -> None:
    assert reader(LOG_LEVEL="debug").log_level() == "DEBUG"
    with pytest.raises(ConfigError, match="DOKDELING_LOG_LEVEL"):
        reader(LOG_LEVEL="chatty").log_level()
