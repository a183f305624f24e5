"""The knobs of the registry services (filled from `RegistrySettings` by the application)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from schemas.model import Timestamp

DEFAULT_MAX_RESULTS: Final = 5000
DEFAULT_WRITE_ATTEMPTS: Final = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistryOptions:
    """How the registry services behave.

    - `max_results`: a stored query that matches more objects fails with XDSTooManyResults;
    - `allow_patient_id_update`: whether an ITI-57 update may move an object to another patient
      (otherwise XDSPatientIDReconciliationError);
    - `write_attempts`: how often a write request is run when a concurrent writer conflicts;
    - `clock`: the registry's notion of now (folder lastUpdateTime, patient feed time).
    """

    max_results: int = DEFAULT_MAX_RESULTS
    allow_patient_id_update: bool = False
    write_attempts: int = DEFAULT_WRITE_ATTEMPTS
    clock: Callable[[], Timestamp] = field(default=Timestamp.now)
