"""`dokdeling repository reconcile`: the report, and a non-zero exit when bytes are missing."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from dokdeling.cli import main
from tests.support.fake_registry import FakeRegistry
from tests.support.repository import (
    document_unique_id,
    provide_request,
    registered,
    repository_settings,
    threaded_services,
)


def test_reconcile_reports_and_fails_on_missing_bytes(tmp_path: Path) -> None:
    registry = FakeRegistry().start()
    try:
        settings = repository_settings(tmp_path, registry.url)
        services, _ = threaded_services(settings)
        services.provide.provide(provide_request([b"epikrise", b"notat"]))
    finally:
        registry.stop()
    env = {"DOKDELING_DATA_DIR": str(tmp_path), "DOKDELING_LOG_LEVEL": "WARNING"}

    healthy = CliRunner().invoke(main, ["repository", "reconcile"], env=env)
    assert healthy.exit_code == 0, healthy.output
    assert "documents with missing bytes: 0" in healthy.output

    document = registered(services.store, document_unique_id(2))
    assert document is not None
    services.storage.delete(document.storage_key)
    broken = CliRunner().invoke(main, ["repository", "reconcile"], env=env)
    assert broken.exit_code == 1
    assert f"documents with missing bytes: 1 {document_unique_id(2)}" in broken.output

    quick = CliRunner().invoke(main, ["repository", "reconcile", "--no-storage-audit"], env=env)
    assert quick.exit_code == 0
    assert "missing bytes" not in quick.output
