"""The `dokdeling` command's wiring and its configuration errors (click's runner, no servers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import MetaData

from dokdeling.cli import main
from servicekit.database import create_database_engine
from servicekit.runtime import migrations_of
from tests.support.people import PATIENT
from tests.support.ports import free_port
from trustframework.blocks import block_patient
from trustframework.storage import SqlBlockStore, define_blocks_table


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
            f"registry: database at revision {migrations_of('registry').head()}",
            f"repository: database at revision {migrations_of('repository').head()}",
        ]
    assert (tmp_path / "registry.sqlite").exists()
    assert (tmp_path / "repository.sqlite").exists()


def test_the_command_tree() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("registry", "patients", "repository", "worker", "db", "run", "blocks", "token"):
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


def test_registry_serve_refuses_to_start_without_an_audit_key(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["registry", "serve"], env={"DOKDELING_DATA_DIR": str(tmp_path)}
    )
    assert result.exit_code == 1
    assert "invalid configuration: DOKDELING_AUDIT_KEY: required" in result.output


def test_registry_serve_names_a_bad_validation_setting(tmp_path: Path) -> None:
    env = {"DOKDELING_DATA_DIR": str(tmp_path), "DOKDELING_VALIDATION_OVERRIDES": "nope=error"}
    result = CliRunner().invoke(main, ["registry", "serve"], env=env)
    assert result.exit_code == 1
    assert "invalid configuration: DOKDELING_VALIDATION_OVERRIDES: " in result.output


def test_blocks_go_to_the_registry_and_the_repository_database(tmp_path: Path) -> None:
    env = {"DOKDELING_DATA_DIR": str(tmp_path)}
    runner = CliRunner()
    before = runner.invoke(main, ["blocks", "list", "--patient", PATIENT], env=env)
    assert before.exit_code == 1
    assert "run `dokdeling db upgrade`" in before.output
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0

    added = runner.invoke(
        main, ["blocks", "add", "--patient", PATIENT, "--hpr", "9910001"], env=env
    )
    assert added.exit_code == 0, added.output
    assert "blocked: HPR 9910001" in added.output
    listed = runner.invoke(main, ["blocks", "list", "--patient", PATIENT], env=env)
    assert listed.stdout.startswith("9910001\t")

    for service in ("registry", "repository"):
        engine = create_database_engine(f"sqlite:///{tmp_path / f'{service}.sqlite'}")
        store = SqlBlockStore(engine, define_blocks_table(MetaData()))
        assert store.blocked_hpr_numbers([block_patient(PATIENT)]) == {"9910001"}
        engine.dispose()


def test_repository_serve_refuses_to_start_without_an_audit_key(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["repository", "serve"], env={"DOKDELING_DATA_DIR": str(tmp_path)}
    )
    assert result.exit_code == 1
    assert "invalid configuration: DOKDELING_AUDIT_KEY: required" in result.output
