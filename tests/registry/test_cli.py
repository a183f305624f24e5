"""`dokdeling patients add`: the identity feed from the command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from dokdeling.cli import main

PATIENT = "SELF-5^^^&1.3.6.1.4.1.21367.2005.3.7&ISO"


def test_patients_add_needs_a_migrated_database(tmp_path: Path) -> None:
    env = {"DOKDELING_DATA_DIR": str(tmp_path)}

    result = CliRunner().invoke(main, ["patients", "add", PATIENT], env=env)

    assert result.exit_code == 1
    assert "dokdeling db upgrade" in result.output


def test_patients_add_feeds_a_patient_once(tmp_path: Path) -> None:
    env = {"DOKDELING_DATA_DIR": str(tmp_path)}
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0

    first = CliRunner().invoke(main, ["patients", "add", PATIENT], env=env)
    second = CliRunner().invoke(main, ["patients", "add", PATIENT], env=env)

    assert (first.exit_code, first.output) == (0, f"{PATIENT}: added\n")
    assert (second.exit_code, second.output) == (0, f"{PATIENT}: already known\n")


def test_patients_add_refuses_an_id_without_authority(tmp_path: Path) -> None:
    env = {"DOKDELING_DATA_DIR": str(tmp_path)}
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0

    result = CliRunner().invoke(main, ["patients", "add", "SELF-5"], env=env)

    assert result.exit_code == 1
    assert "assigning authority" in result.output
