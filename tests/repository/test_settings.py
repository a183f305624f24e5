from __future__ import annotations

from pathlib import Path

import pytest

from repository.settings import DEVELOPMENT_REPOSITORY_UNIQUE_ID, RepositorySettings
from repository.storage.location import FileStorage, S3Storage
from servicekit.config import ConfigError

S3_KEYS = {"DOKDELING_S3_ACCESS_KEY": "access", "DOKDELING_S3_SECRET_KEY": "hemmelig-nøkkel"}


def test_defaults_live_under_the_data_dir(tmp_path: Path) -> None:
    settings = RepositorySettings.from_env({"DOKDELING_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'repository.sqlite'}"
    assert settings.storage == FileStorage(root=tmp_path / "documents")
    assert settings.registry_url == "http://127.0.0.1:8010/xds/registry"
    assert settings.repository_unique_id == DEVELOPMENT_REPOSITORY_UNIQUE_ID


def test_s3_storage_takes_its_keys_from_their_own_variables() -> None:
    settings = RepositorySettings.from_env(
        {
            "DOKDELING_STORAGE_URL": "s3://dokumenter?endpoint=http://10.0.0.5:8333&region=no",
            "DOKDELING_REPOSITORY_UNIQUE_ID": "2.16.578.1.12.4.1.7.1",
            **S3_KEYS,
        }
    )
    assert settings.storage == S3Storage(
        bucket="dokumenter",
        endpoint="10.0.0.5:8333",
        secure=False,
        region="no",
        access_key="access",
        secret_key="hemmelig-nøkkel",
    )
    assert "hemmelig" not in repr(settings)
    assert settings.repository_unique_id == "2.16.578.1.12.4.1.7.1"


def test_secure_flag_overrides_the_endpoint_scheme() -> None:
    url = "s3://b1?endpoint=https://s3.example:443&secure=false"
    settings = RepositorySettings.from_env({"DOKDELING_STORAGE_URL": url, **S3_KEYS})
    assert isinstance(settings.storage, S3Storage)
    assert settings.storage.secure is False


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DOKDELING_STORAGE_URL": "s3://bucket?endpoint=http://h:1"}, "DOKDELING_S3_ACCESS_KEY"),
        (
            {"DOKDELING_STORAGE_URL": "s3://b?endpoint=http://h:1&secure=maybe", **S3_KEYS},
            "neither true nor false",
        ),
        ({"DOKDELING_STORAGE_URL": "s3://b?endpoint=h:1", **S3_KEYS}, "not an http(s) URL"),
        ({"DOKDELING_STORAGE_URL": "file://relative/path"}, "file:///ABSOLUTE/PATH"),
        ({"DOKDELING_STORAGE_URL": "gs://bucket"}, "unsupported storage 'gs'"),
        ({"DOKDELING_REPOSITORY_UNIQUE_ID": "urn:oid:1.2.3"}, "DOKDELING_REPOSITORY_UNIQUE_ID"),
        ({"DOKDELING_REGISTRY_URL": "registry:8010"}, "DOKDELING_REGISTRY_URL"),
    ],
)
def test_unusable_values_name_their_variable(variables: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        RepositorySettings.from_env(variables)
    assert message in str(raised.value)
    assert str(raised.value).startswith("DOKDELING_")
