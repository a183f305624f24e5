from __future__ import annotations

from pathlib import Path

import pytest

from registry.settings import RegistrySettings
from servicekit.config import DEVELOPMENT_HOME_COMMUNITY_ID, ConfigError


def test_defaults_live_under_the_data_dir(tmp_path: Path) -> None:
    settings = RegistrySettings.from_env({"DOKDELING_DATA_DIR": str(tmp_path)})
    assert settings.data_dir == tmp_path
    assert settings.database_url == f"sqlite:///{tmp_path / 'registry.sqlite'}"
    assert settings.broker.url == f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"
    assert settings.home_community_id == DEVELOPMENT_HOME_COMMUNITY_ID
    assert settings.log_level == "INFO"


def test_production_values() -> None:
    settings = RegistrySettings.from_env(
        {
            "DOKDELING_REGISTRY_DATABASE_URL": "postgresql+psycopg://xds@db:5432/registry",
            "DOKDELING_BROKER_URL": "redis://cache:6379/0",
            "DOKDELING_HOME_COMMUNITY_ID": "urn:oid:2.16.578.1.12.4.1.7",
            "DOKDELING_XML_MAX_BYTES": "1048576",
        }
    )
    assert settings.database_url == "postgresql+psycopg://xds@db:5432/registry"
    assert settings.broker.url == "redis://cache:6379/0"
    assert settings.home_community_id == "urn:oid:2.16.578.1.12.4.1.7"
    assert settings.xml_limits.max_bytes == 1048576


def test_an_unusable_value_names_its_variable() -> None:
    with pytest.raises(ConfigError, match=r"^DOKDELING_HOME_COMMUNITY_ID: "):
        RegistrySettings.from_env({"DOKDELING_HOME_COMMUNITY_ID": "2.16.578.1"})


def test_registry_service_options() -> None:
    defaults = RegistrySettings.from_env({}).service_options()
    assert (defaults.max_results, defaults.allow_patient_id_update) == (5000, False)
    settings = RegistrySettings.from_env(
        {
            "DOKDELING_REGISTRY_MAX_RESULTS": "250",
            "DOKDELING_REGISTRY_ALLOW_PATIENT_ID_UPDATE": "yes",
        }
    )
    assert (settings.max_results, settings.allow_patient_id_update) == (250, True)


@pytest.mark.parametrize(
    ("variable", "value"),
    [("REGISTRY_MAX_RESULTS", "0"), ("REGISTRY_ALLOW_PATIENT_ID_UPDATE", "maybe")],
)
def test_unusable_registry_options_name_their_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=rf"^DOKDELING_{variable}: "):
        RegistrySettings.from_env({f"DOKDELING_{variable}": value})
