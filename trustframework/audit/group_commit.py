"""Group commit: concurrent appends of one process share one transaction.

The chain is serialised on its head row, so each append pays one lock wait and one commit
(an fsync on PostgreSQL). Threads that arrive while an append is running queue up; when it
finishes, the oldest waiting thread leads the next append with everything queued by then (up to
`max_batch` tickets). Under load a commit carries many records; alone, a thread appends at once.
Each leader appends one batch and hands over, so no thread works for others for long.
If a batch fails, its tickets are appended one by one, so one bad entry fails only its caller.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from trustframework.audit.record import AuditEntry, AuditRecord
from trustframework.audit.store import Appended

log = logging.getLogger(__name__)
DEFAULT_MAX_BATCH = 256


class _Ticket:
    """One caller's entries, and what became of them."""

    __slots__ = ("entries", "error", "records", "settled", "wake")

    def __init__(self, entries: Sequence[AuditEntry]) -> None:
        self.entries = entries
        self.wake = threading.Event()
        self.settled = False
        self.records: tuple[AuditRecord, ...] = ()
        self.error: BaseException | None = None


class GroupCommit:
    """`submit(entries)` blocks until the entries are committed (returns their records) or
    failed (raises the append's exception)."""

    def __init__(
        self,
        append: Callable[[Sequence[AuditEntry]], Appended],
        *,
        on_commit: Callable[[Appended], None],
        max_batch: int = DEFAULT_MAX_BATCH,
    ) -> None:
        self._append = append
        self._on_commit = on_commit
        self._max_batch = max_batch
        self._lock = threading.Lock()
        self._queue: list[_Ticket] = []
        self._leading = False

    def submit(self, entries: Sequence[AuditEntry]) -> tuple[AuditRecord, ...]:
        ticket = _Ticket(entries)
        with self._lock:
            self._queue.append(ticket)
            lead = not self._leading
            self._leading = True
        if not lead:
            ticket.wake.wait()
        if not ticket.settled:  # first in line, or handed the lead
            self._lead()
        if ticket.error is not None:
            raise ticket.error
        return ticket.records

    def _lead(self) -> None:
        with self._lock:
            batch = self._queue[: self._max_batch]
            del self._queue[: self._max_batch]
        try:
            self._commit(batch)
        finally:
            for ticket in batch:
                if not ticket.records and ticket.error is None:  # interrupted mid-append
                    ticket.error = RuntimeError("the audit append was interrupted")
                ticket.settled = True
                ticket.wake.set()
            with self._lock:
                if self._queue:
                    self._queue[0].wake.set()  # the next leader
                else:
                    self._leading = False

    def _commit(self, batch: list[_Ticket]) -> None:
        try:
            self._store(batch)
        except Exception as error:
            if len(batch) == 1:
                batch[0].error = error
                return
            log.warning("audit batch of %d failed; appending one by one", len(batch))
            for ticket in batch:
                try:
                    self._store([ticket])
                except Exception as single_error:
                    ticket.error = single_error

    def _store(self, tickets: list[_Ticket]) -> None:
        appended = self._append([entry for t in tickets for entry in t.entries])
        position = 0
        for ticket in tickets:
            ticket.records = appended.records[position : position + len(ticket.entries)]
            position += len(ticket.entries)
        try:
            self._on_commit(appended)
        except Exception:
            log.exception("after-commit hook of the audit failed (the records are stored)")
