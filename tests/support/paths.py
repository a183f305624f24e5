"""Where the tests find the shared conformance corpus (never copied into this repository)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def conformance_dir() -> Path:
    """`$DOKDELING_CONFORMANCE_DIR`, else `../shared/conformance` next to the checkout."""
    configured = os.environ.get("DOKDELING_CONFORMANCE_DIR")
    path = Path(configured) if configured else REPO_ROOT.parent / "shared" / "conformance"
    if not (path / "nist-testkit").is_dir():
        raise RuntimeError(f"conformance corpus not found at {path}; set DOKDELING_CONFORMANCE_DIR")
    return path.resolve()
