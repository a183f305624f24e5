"""Where a service spends its time under load: py-spy (the `bench` extra) samples every
gunicorn worker of the service for a few seconds. The summary is, of the samples taken while a
request was being served (a streamed answer's body included), the share in which each of our
functions (and the libraries' entry points) was on the stack: inclusive time, waiting for the
database included."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from tests.support.deployment import descendants

OUR_PACKAGES = ("registry/", "schemas/", "trustframework/", "servicekit/", "repository/")
LIBRARIES = ("sqlalchemy/", "psycopg/", "lxml", "joserfc/", "flask/", "gunicorn/")


def start(service_pid: int, seconds: float) -> tuple[list[subprocess.Popen[bytes]], Path] | None:
    """Start sampling the workers of the gunicorn master `service_pid`; None without py-spy."""
    beside = Path(sys.executable).parent / "py-spy"  # the venv's, when it is not on PATH
    py_spy = str(beside) if beside.exists() else shutil.which("py-spy")
    if py_spy is None:
        return None
    folder = Path(tempfile.mkdtemp(prefix="dokdeling-profile-"))
    recorders = []
    for pid in sorted(descendants(service_pid)):
        command = [py_spy, "record", "-p", str(pid), "-d", str(int(seconds)), "-f", "raw",
                   "-o", str(folder / f"{pid}.txt"), "--nonblocking"]  # fmt: skip
        recorders.append(
            subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        )
    return recorders, folder


def finish(started: tuple[list[subprocess.Popen[bytes]], Path] | None, top: int = 25) -> list[str]:
    """Wait for the recorders; the hottest frames as `share% function (file:line)` lines."""
    if started is None:
        return ["py-spy is not installed (pip install -e '.[bench]')"]
    recorders, folder = started
    for recorder in recorders:
        recorder.wait()
    inclusive: Counter[str] = Counter()
    total = 0
    for path in folder.glob("*.txt"):
        for line in path.read_text(errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            samples = int(count)
            if not _serving(stack):
                continue
            frames = [f for f in stack.split(";") if _interesting(f)]
            total += samples
            for frame in set(frames):
                inclusive[frame] += samples
    shutil.rmtree(folder, ignore_errors=True)
    return [f"{100 * n / total:5.1f}% {frame}" for frame, n in inclusive.most_common(top)]


def _serving(stack: str) -> bool:
    """A sample of a request being served: inside the Flask app, or gunicorn sending the
    answer's body (a streamed answer is produced after the app has returned)."""
    return "Flask.wsgi_app" in stack or "handle_request (gunicorn/" in stack


def _interesting(frame: str) -> bool:
    return any(p in frame for p in OUR_PACKAGES) or any(lib in frame for lib in LIBRARIES)
