"""How registrations are retried and waited for, and how reconciliation treats leftovers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from repository.model import RegistrationMode


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistrationPolicy:
    mode: RegistrationMode = RegistrationMode.WAIT
    """The default for ITI-41 requests that do not ask (`Prefer: respond-async` asks deferred)."""
    wait_timeout: timedelta = timedelta(seconds=30)
    """Wait mode: how long the registry may take before the request fails."""
    connect_timeout: float = 5.0
    read_timeout: float = 60.0
    """One ITI-42 attempt: seconds to connect, seconds to wait for the answer."""
    first_retry: timedelta = timedelta(milliseconds=500)
    max_retry: timedelta = timedelta(minutes=5)
    """Exponential backoff between attempts: first, doubling, at most max."""
    poll_interval: float = 0.05
    """Seconds between two looks at the outbox row by a waiting request."""

    @property
    def lease(self) -> timedelta:
        """How long a worker may hold a registration: one attempt, with room to record it."""
        return timedelta(seconds=self.connect_timeout + self.read_timeout + 10)

    def backoff(self, attempt: int) -> timedelta:
        """The pause after failed attempt number `attempt` (1, 2, …)."""
        factor = 1 << min(max(attempt - 1, 0), 30)
        return min(self.max_retry, self.first_retry * factor)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReconcilePolicy:
    interval: timedelta = timedelta(minutes=1)
    """How often a worker repairs the outbox and the document states."""
    storage_audit_interval: timedelta = timedelta(hours=6)
    """How often a worker compares storage with the database (orphans, missing bytes)."""
    orphan_grace: timedelta = timedelta(hours=24)
    """Bytes no row names are deleted once this old (an upload in flight has no row yet)."""
    unregistered_alarm: timedelta = timedelta(hours=24)
    """A registration unfinished this long is reported as a problem (the registry keeps
    refusing to answer, or its answers cannot be read)."""
    overdue_after: timedelta = timedelta(seconds=30)
    """A pending registration this far past its attempt time lost its task: it is sent again."""
    batch: int = 500
