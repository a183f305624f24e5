"""The `dokdeling` command's wiring and its configuration errors (click's runner, no servers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dokdeling.cli import main
from servicekit.runtime import migrations_of
from tests.support.ports import free_port


@pytest.mark.parametrize(
    "arguments",
    [["registry", "serve"], ["repository", "serve"], ["worker"], ["db", "upgrade"]],
)
def test_invalid_configuration_is_a_one_line_error_naming_the_variable(
    arguments: list[str],
) -> None:
    result = CliRunner().invoke(main, arguments, env={"DOKDELING_BROKER_URL": "amqp://rabbit//"})
    assert result.exit_code == 1
    assert "invalid configuration: DOKDELING_BROKER_URL: unsupported broker 'amqp'" in result.output


def test_db_upgrade_migrates_both_databases(tmp_path: Path) -> None:
    env = {"DOKDELING_DATA_DIR": str(tmp_path)}
    for _ in range(2):  # idempotent
        result = CliRunner().invoke(main, ["db", "upgrade"], env=env)
        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == [
            f"{service}: database at revision {migrations_of(service).head()}"
            for service in ("registry", "repository")
        ]
    assert (tmp_path / "registry.sqlite").exists()
    assert (tmp_path / "repository.sqlite").exists()


def test_the_command_tree() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("registry", "patients", "repository", "worker", "db", "run"):
        assert command in result.output
    run_help = CliRunner().invoke(main, ["run", "--help"]).output
    for option in ("--data-dir", "--registry-port", "--repository-port", "--no-demo"):
        assert option in run_help


def test_db_upgrade_names_the_database_it_cannot_reach(tmp_path: Path) -> None:
    unreachable = f"postgresql+psycopg://nobody:secret@127.0.0.1:{free_port()}/registry"
    env = {"DOKDELING_DATA_DIR": str(tmp_path), "DOKDELING_REGISTRY_DATABASE_URL": unreachable}
    result = CliRunner().invoke(main, ["db", "upgrade"], env=env)
    assert result.exit_code == 1
    assert "cannot migrate the registry database at postgresql+psycopg://nobody:***@" in (
        result.output
    )
    assert "secret" not in result.output
