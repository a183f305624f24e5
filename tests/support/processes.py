"""Server processes for the test session: a log file each, a readiness wait, reliable teardown."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

READY_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 20.0


def require_binary(name: str, *candidates: str) -> str:
    """The path of a server binary; its absence fails the test (never skips it)."""
    for candidate in (*candidates, shutil.which(name)):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise RuntimeError(f"{name} is not installed: run `make system-deps` (or `make test`)")


class ServerProcess:
    """A process started in its own session, its output in `log_path`."""

    def __init__(
        self,
        name: str,
        command: Sequence[str],
        log_path: Path,
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.name = name
        self.log_path = log_path
        with log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                list(command),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=dict(env) if env is not None else None,
                cwd=cwd,
                start_new_session=True,
            )

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def wait_ready(self, ready: Callable[[], bool], timeout: float = READY_TIMEOUT_SECONDS) -> None:
        """Poll `ready` until it holds; when the process dies or stalls, stop it and fail with
        the log's tail."""
        deadline = time.monotonic() + timeout
        while not ready():
            problem = None
            if self.popen.poll() is not None:
                problem = f"exited with {self.popen.returncode}"
            elif time.monotonic() > deadline:
                problem = f"not ready after {timeout} s"
            if problem is not None:
                self.stop()
                raise RuntimeError(
                    f"{self.name} {problem}; log {self.log_path}:\n{self.log_tail()}"
                )
            time.sleep(0.1)

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> int | None:
        """Signal the process, wait, then kill its whole process group (no orphans)."""
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=STOP_TIMEOUT_SECONDS)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        if self.popen.poll() is None:
            self.popen.wait()
        return self.popen.returncode
