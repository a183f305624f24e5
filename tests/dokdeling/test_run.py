"""`dokdeling run` end to end: real processes, real HTTP, clean shutdown without orphans."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from servicekit.runtime import migrations_of
from tests.support.deployment import (
    Deployment,
    alive,
    children,
    deployment_environment,
    descendants,
    start_deployment,
)
from tests.support.ports import free_port
from tests.support.postgres import PostgresServer
from tests.support.redis_server import RedisServer

pytestmark = pytest.mark.slow


def healthz(base_url: str) -> tuple[int, dict[str, Any]]:
    with urllib.request.urlopen(f"{base_url}/healthz", timeout=10) as response:
        return response.status, json.load(response)


def assert_healthy(running: Deployment) -> dict[str, dict[str, Any]]:
    bodies = {}
    for base_url in (running.registry_url, running.repository_url):
        status, body = healthz(base_url)
        assert status == 200, body
        assert body["components"]["worker"]["status"] == "alive"
        bodies[body["service"]] = body
    return bodies


def stop_and_assert_no_orphans(running: Deployment) -> int | None:
    family = descendants(running.process.popen.pid)
    assert len(family) >= 3  # registry, repository and worker, with their own workers below
    running.process.popen.send_signal(signal.SIGTERM)
    code = running.process.popen.wait(timeout=60)
    assert [pid for pid in family if alive(pid)] == []
    return code


def test_run_serves_both_services_and_stops_cleanly(tmp_path: Path) -> None:
    running = start_deployment(tmp_path)
    try:
        bodies = assert_healthy(running)
        assert bodies["repository"]["components"]["storage"]["status"] == "ok"
        assert "sqlite" in bodies["registry"]["components"]["database"]["detail"]
        assert stop_and_assert_no_orphans(running) == 0
    finally:
        running.process.stop()
    assert (running.data_dir / "broker.sqlite").exists()


@pytest.mark.redis
def test_run_with_the_redis_broker(tmp_path: Path, redis_server: RedisServer) -> None:
    running = start_deployment(tmp_path, {"DOKDELING_BROKER_URL": redis_server.url(db=3)})
    try:
        assert_healthy(running)
        assert not (running.data_dir / "broker.sqlite").exists()
        assert stop_and_assert_no_orphans(running) == 0
    finally:
        running.process.stop()


@pytest.mark.postgres
def test_run_with_the_registry_on_postgresql(
    tmp_path: Path, postgres_server: PostgresServer, postgres_url: str
) -> None:
    overrides = {
        "DOKDELING_REGISTRY_DATABASE_URL": postgres_url,
        "DOKDELING_DATA_DIR": str(tmp_path / "var"),
    }
    upgrade = subprocess.run(
        [sys.executable, "-m", "dokdeling", "db", "upgrade"],
        env=deployment_environment(overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert upgrade.returncode == 0, upgrade.stderr
    assert f"registry: database at revision {migrations_of('registry').head()}" in upgrade.stdout
    running = start_deployment(tmp_path, overrides)
    try:
        bodies = assert_healthy(running)
        assert bodies["registry"]["components"]["database"]["detail"].startswith("postgresql")
        assert stop_and_assert_no_orphans(running) == 0
    finally:
        running.process.stop()


def test_a_child_dying_stops_the_others_and_fails_run(tmp_path: Path) -> None:
    running = start_deployment(tmp_path)
    try:
        family = descendants(running.process.popen.pid)
        worker = next(  # the worker's main process, not one of its pool processes
            pid
            for pid in children(running.process.popen.pid)
            if Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[3:4] == [b"worker"]
        )
        os.kill(worker, signal.SIGKILL)
        assert running.process.popen.wait(timeout=60) == 1
        assert [pid for pid in family if alive(pid)] == []
        assert "the worker stopped unexpectedly" in running.process.log_tail()
    finally:
        running.process.stop()


def test_run_fails_with_a_message_when_a_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as occupant:
        occupant.bind(("127.0.0.1", 0))
        occupant.listen()
        taken = occupant.getsockname()[1]
        command = [
            sys.executable, "-m", "dokdeling", "run", "--data-dir", str(tmp_path / "var"),
            "--registry-port", str(taken), "--repository-port", str(free_port()), "--no-demo",
        ]  # fmt: skip
        result = subprocess.run(
            command,
            env=deployment_environment({}),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 1
    assert "the registry exited with code" in result.stderr
