"""Blocks in a real SQLite database, through the store and through `dokdeling blocks`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import MetaData, create_engine

from schemas.model import Cx
from tests.support.people import OTHER_PATIENT, PATIENT
from trustframework import codes
from trustframework.blocks import BlockStore, block_patient, hpr_number
from trustframework.cli import BLOCK_STORE_FACTORY, blocks_command
from trustframework.storage import SqlBlockStore, define_blocks_table

WHEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PATIENT_CX = Cx.of(PATIENT, codes.FODSELSNUMMER)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    metadata = MetaData()
    define_blocks_table(metadata)
    engine = create_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def store(database_url: str) -> Iterator[SqlBlockStore]:
    engine = create_engine(database_url)
    yield SqlBlockStore(engine, define_blocks_table(MetaData()))
    engine.dispose()


def test_add_list_remove(store: SqlBlockStore) -> None:
    assert store.add(PATIENT_CX, "9910001", now=WHEN)
    assert not store.add(PATIENT_CX, "9910001", now=WHEN)
    assert store.add(PATIENT_CX, "9910002", now=WHEN)
    blocks = store.blocks_of(PATIENT_CX)
    assert [b.hpr_number for b in blocks] == ["9910001", "9910002"]
    assert blocks[0].created_at == WHEN
    assert store.remove(PATIENT_CX, "9910001")
    assert not store.remove(PATIENT_CX, "9910001")
    assert [b.hpr_number for b in store.blocks_of(PATIENT_CX)] == ["9910002"]


def test_blocked_hpr_numbers_of_the_patients_concerned(store: SqlBlockStore) -> None:
    other = Cx.of(OTHER_PATIENT, codes.FODSELSNUMMER)
    same_number_other_authority = Cx.of(PATIENT, "1.2.3.4")
    store.add(PATIENT_CX, "1", now=WHEN)
    store.add(other, "2", now=WHEN)
    assert store.blocked_hpr_numbers([PATIENT_CX]) == {"1"}
    assert store.blocked_hpr_numbers([PATIENT_CX, other]) == {"1", "2"}
    assert store.blocked_hpr_numbers([same_number_other_authority]) == frozenset()
    assert store.blocked_hpr_numbers([]) == frozenset()


def test_the_table_goes_into_the_callers_metadata() -> None:
    metadata = MetaData()
    table = define_blocks_table(metadata, name="registry_patient_block")
    assert metadata.tables["registry_patient_block"] is table


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PATIENT, Cx.of(PATIENT, codes.FODSELSNUMMER)),
        (f"{PATIENT}^^^&2.16.578.1.12.4.1.4.1&ISO", Cx.of(PATIENT, codes.FODSELSNUMMER)),
        ("SELF-5^^^&1.3.6.1.4.1.21367.2005.3.7&ISO", Cx.of("SELF-5", "1.3.6.1.4.1.21367.2005.3.7")),
        ("41018012345", Cx.of("41018012345", codes.D_NUMMER)),
    ],
)
def test_block_patient(text: str, expected: Cx) -> None:
    assert block_patient(text) == expected


@pytest.mark.parametrize("text", ["SELF-5", "^^^&1.2&ISO", "1234"])
def test_block_patient_needs_an_authority(text: str) -> None:
    with pytest.raises(ValueError, match="assigning authority"):
        block_patient(text)


def test_hpr_number() -> None:
    assert hpr_number(" 9910001 ") == "9910001"
    with pytest.raises(ValueError, match="HPR"):
        hpr_number("LE-1")


def test_cli_with_the_database_from_the_environment(database_url: str) -> None:
    runner = CliRunner()
    env = {"DOKDELING_REGISTRY_DATABASE_URL": database_url}
    arguments = ["add", "--patient", PATIENT, "--hpr", "9910001"]
    added = runner.invoke(blocks_command, arguments, env=env)
    assert added.exit_code == 0, added.output
    assert "blocked: HPR 9910001" in added.output
    listed = runner.invoke(blocks_command, ["list", "--patient", PATIENT], env=env)
    assert listed.output.startswith("9910001\t")
    removed = runner.invoke(
        blocks_command, ["remove", "--patient", PATIENT, "--hpr", "9910001"], env=env
    )
    assert removed.exit_code == 0
    again = runner.invoke(
        blocks_command, ["remove", "--patient", PATIENT, "--hpr", "9910001"], env=env
    )
    assert again.exit_code == 1
    assert "no block" in again.output


def test_cli_uses_the_store_the_launcher_provides(store: SqlBlockStore) -> None:
    @click.group()
    @click.pass_context
    def launcher(ctx: click.Context) -> None:
        def factory() -> BlockStore:
            return store

        ctx.meta[BLOCK_STORE_FACTORY] = factory

    launcher.add_command(blocks_command)
    result = CliRunner().invoke(
        launcher,
        ["blocks", "add", "--patient", PATIENT, "--hpr", "42"],
        env={"DOKDELING_REGISTRY_DATABASE_URL": None},
    )
    assert result.exit_code == 0, result.output
    assert store.blocked_hpr_numbers([PATIENT_CX]) == {"42"}


def test_cli_refuses_bad_input_and_missing_table(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"DOKDELING_REGISTRY_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    bad = runner.invoke(blocks_command, ["add", "--patient", "nobody", "--hpr", "1"], env=env)
    assert bad.exit_code == 2
    assert "assigning authority" in bad.output
    missing = runner.invoke(blocks_command, ["list", "--patient", PATIENT], env=env)
    assert missing.exit_code == 1
    assert "dokdeling db upgrade" in missing.output
    no_url = {"DOKDELING_REGISTRY_DATABASE_URL": None}
    unset = runner.invoke(blocks_command, ["list", "--patient", PATIENT], env=no_url)
    assert unset.exit_code == 2
