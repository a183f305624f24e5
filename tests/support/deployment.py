"""A running deployment: `python -m dokdeling run` on free ports with a temporary data folder."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.support.ports import free_port
from tests.support.processes import ServerProcess

READY_LINE = "dokdeling is running"
RUN_READY_TIMEOUT_SECONDS = 150.0


@dataclass
class Deployment:
    registry_url: str
    """Base URL, e.g. http://127.0.0.1:41234 (the SOAP endpoint is at /xds/registry)."""
    repository_url: str
    data_dir: Path
    process: ServerProcess

    @property
    def registry_endpoint(self) -> str:
        return f"{self.registry_url}/xds/registry"

    @property
    def repository_endpoint(self) -> str:
        return f"{self.repository_url}/xds/repository"


def children(pid: int) -> set[int]:
    """The processes `pid` started, read from /proc."""
    found: set[int] = set()
    for children_file in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found |= {int(child) for child in children_file.read_text().split()}
        except OSError:
            continue
    return found


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (children, grandchildren, ...)."""
    found: set[int] = set()
    pending = [pid]
    while pending:
        below = children(pending.pop()) - found
        pending.extend(below)
        found |= below
    return found


def alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def deployment_environment(overrides: Mapping[str, str]) -> dict[str, str]:
    """This environment without any DOKDELING_* variable, plus `overrides`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DOKDELING_")}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return {**env, "DOKDELING_LOG_LEVEL": "INFO", **overrides}


def start_deployment(
    folder: Path,
    overrides: Mapping[str, str] | None = None,
    *,
    demo: bool = False,
    log_name: str = "run.log",
) -> Deployment:
    """Start `dokdeling run` on the data folder `folder/var` (seeding demo data only when `demo`)
    and wait for its ready line in `folder/log_name`; the caller stops `process`."""
    registry_port, repository_port = free_port(), free_port()
    data_dir = folder / "var"
    command = [
        sys.executable, "-m", "dokdeling", "run", "--data-dir", str(data_dir),
        "--registry-port", str(registry_port), "--repository-port", str(repository_port),
    ]  # fmt: skip
    if not demo:
        command.append("--no-demo")
    process = ServerProcess(
        "dokdeling run", command, folder / log_name, env=deployment_environment(overrides or {})
    )

    def ready() -> bool:
        return READY_LINE in process.log_path.read_text(errors="replace")

    process.wait_ready(ready, timeout=RUN_READY_TIMEOUT_SECONDS)
    return Deployment(
        registry_url=f"http://127.0.0.1:{registry_port}",
        repository_url=f"http://127.0.0.1:{repository_port}",
        data_dir=data_dir,
        process=process,
    )
