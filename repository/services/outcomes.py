"""One watcher of the outbox per process for every request waiting on its registration.

Waiting requests do not each poll their outbox row: they hand their registration id to the
process's `OutcomeBoard`, whose single thread asks the database once per poll interval which of
all awaited registrations are still unfinished (`RepositoryStore.unfinished_among`, two columns
of the rows awaited) and wakes the requests whose registration finished. The outbox row stays
the only truth: a woken request reads its row and decides exactly as before.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from repository.services.ports import RepositoryStore

log = logging.getLogger(__name__)


class OutcomeBoard:
    """Wakes waiting requests when their registration is finished (or gone from the outbox)."""

    def __init__(self, store: RepositoryStore, *, poll_interval: float) -> None:
        self._store = store
        self._poll_interval = poll_interval
        self._awaited: dict[str, threading.Event] = {}
        self._changed = threading.Condition()
        self._watcher_pid: int | None = None

    def await_finished(self, registration_id: str, timeout: float) -> bool:
        """Block until the registration may have finished (True) or `timeout` seconds passed."""
        finished = threading.Event()
        with self._changed:
            self._awaited[registration_id] = finished
            self._start_watcher()
            self._changed.notify()
        try:
            return finished.wait(timeout)
        finally:
            with self._changed:
                self._awaited.pop(registration_id, None)

    def _start_watcher(self) -> None:
        """Start the thread in this process (once; again in a forked child, where it is gone)."""
        if self._watcher_pid == os.getpid():
            return
        self._watcher_pid = os.getpid()
        threading.Thread(target=self._watch, name="outcome-board", daemon=True).start()

    def _watch(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: bool(self._awaited))
                awaited = dict(self._awaited)
            try:
                unfinished = self._store.unfinished_among(awaited.keys())
            except Exception:  # a lost connection must not end the watcher; requests recheck
                log.exception("could not look at the outbox for %d waiting requests", len(awaited))
                unfinished = set()
            for registration_id, finished in awaited.items():
                if registration_id not in unfinished:
                    finished.set()
            time.sleep(self._poll_interval)
