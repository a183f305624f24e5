"""Child processes of `dokdeling run`: started in their own session, stopped without orphans."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

STOP_GRACE_SECONDS = 20.0


@dataclass
class ChildProcess:
    """One service or worker process (`python -m dokdeling ...`)."""

    name: str
    popen: subprocess.Popen[bytes]

    @classmethod
    def start(cls, name: str, arguments: Sequence[str], env: Mapping[str, str]) -> ChildProcess:
        # A session of its own: a terminal's Ctrl-C reaches `run` only, which stops children in
        # order, and the whole process group (gunicorn or Celery workers) can be killed at the end.
        popen = subprocess.Popen(  # noqa: S603 (our own interpreter and fixed arguments)
            [sys.executable, "-m", "dokdeling", *arguments], env=dict(env), start_new_session=True
        )
        return cls(name=name, popen=popen)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def exit_code(self) -> int | None:
        return self.popen.poll()

    def terminate(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)

    def kill_group(self) -> None:
        """SIGKILL whatever is left of the child's process group (also after a clean exit)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        if self.popen.poll() is None:
            self.popen.wait()


def stop_all(children: Sequence[ChildProcess], grace: float = STOP_GRACE_SECONDS) -> None:
    """SIGTERM every child (graceful shutdown), wait up to `grace` seconds, then kill the rest."""
    for child in children:
        child.terminate()
    deadline = time.monotonic() + grace
    for child in children:
        remaining = max(deadline - time.monotonic(), 0.0)
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.popen.wait(timeout=remaining)
        child.kill_group()
