"""The repository app's /healthz includes its document storage: a folder or an S3 bucket."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from flask import Flask

from repository.app import create_app
from repository.settings import RepositorySettings
from servicekit.runtime import migrations_of
from tests.support.registry_app import service_environ
from tests.support.seaweed import SeaweedServer
from trustframework.audit.settings import AuditSettings


def app_for(tmp_path: Path, **variables: str) -> Flask:
    environ = service_environ(tmp_path, **variables)
    settings = RepositorySettings.from_env(environ)
    migrations_of("repository").upgrade(settings.database_url)
    return create_app(settings, AuditSettings.from_env(environ))


def test_healthz_checks_the_document_folder(tmp_path: Path) -> None:
    body = app_for(tmp_path).test_client().get("/healthz").get_json()
    assert body["status"] == "ok"
    assert body["components"]["storage"]["status"] == "ok"
    assert (tmp_path / "documents").is_dir()


def test_healthz_is_503_when_the_document_folder_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the documents should go")
    client = app_for(tmp_path, STORAGE_URL=f"file://{blocker}/documents").test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["reason"].startswith("storage: ")


@pytest.mark.s3
def test_healthz_with_s3_needs_the_bucket(tmp_path: Path, seaweed_server: SeaweedServer) -> None:
    bucket = f"dokumenter-{uuid.uuid4().hex[:8]}"
    client = app_for(
        tmp_path,
        STORAGE_URL=seaweed_server.storage_url(bucket),
        S3_ACCESS_KEY=seaweed_server.access_key,
        S3_SECRET_KEY=seaweed_server.secret_key,
    ).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert f"bucket '{bucket}' does not exist" in response.get_json()["reason"]

    seaweed_server.client().make_bucket(bucket)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["components"]["storage"]["status"] == "ok"


@pytest.mark.s3
def test_healthz_is_503_with_wrong_s3_credentials(
    tmp_path: Path, seaweed_server: SeaweedServer
) -> None:
    client = app_for(
        tmp_path,
        STORAGE_URL=seaweed_server.storage_url("dokumenter"),
        S3_ACCESS_KEY=seaweed_server.access_key,
        S3_SECRET_KEY="not-the-secret",
    ).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["components"]["storage"]["status"] == "unavailable"
