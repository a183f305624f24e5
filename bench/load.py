"""The bulk path: synthetic submissions registered with ITI-42 by many concurrent sources.

A source that keeps documents in its own repository registers their metadata with ITI-42, one
SubmissionSet per patient and organisation (up to 100 DocumentEntries each); this is how a
backfill of existing documents reaches the registry. Every request carries the publishing
organisation's token and is validated, checked against the publisher rule, stored and audited as
any other: a real product path, not direct SQL.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime

from dokdeling.client import XdsClient
from dokdeling.synthetic import GeneratorSettings, SyntheticData, SyntheticSubmission
from dokdeling.tokens import ToolTokens
from schemas.errors import ResponseStatus

SOURCE_REPOSITORY = "2.25.311812315245813532893215329921870410713"
"""The repositoryUniqueId of the sources' own repository the bulk-registered documents live in."""


class LoadFailed(RuntimeError):
    pass


@dataclass
class LoadStage:
    documents: int
    submissions: int
    seconds: float

    @property
    def per_second(self) -> float:
        return round(self.documents / self.seconds, 1) if self.seconds else 0.0


@dataclass
class BulkLoader:
    """Registers synthetic data in stages (10^5, then up to 10^6) from one seeded stream."""

    client: XdsClient
    tokens: ToolTokens
    seed: int = 47
    concurrency: int = 8
    patients: Counter[str] = field(default_factory=Counter)
    loaded: int = 0

    def __post_init__(self) -> None:
        self._data = SyntheticData(GeneratorSettings(seed=self.seed, now=datetime.now(UTC)))
        self._publisher_tokens: dict[str, str] = {}

    def _token(self, organisation: str) -> str:
        if organisation not in self._publisher_tokens:
            self._publisher_tokens[organisation] = self.tokens.publisher(organisation)
        return self._publisher_tokens[organisation]

    def _send(self, submission: SyntheticSubmission) -> int:
        request = submission.register_request(SOURCE_REPOSITORY)
        response = self.client.register(request, token=self._token(submission.organisation.number))
        if response.status is not ResponseStatus.SUCCESS:
            detail = "; ".join(f"{e.code}: {e.context}" for e in response.errors[:3])
            raise LoadFailed(f"ITI-42 refused: {detail}")
        return len(submission.documents)

    def load_until(self, total: int) -> LoadStage:
        """Register until `total` documents are in; the stage's documents and duration."""
        wanted = total - self.loaded
        progress = Progress(total, self.loaded)
        begin, submissions = time.perf_counter(), 0
        pending: set[Future[int]] = set()
        with ThreadPoolExecutor(self.concurrency) as pool:
            for submission in self._data.stream(wanted):
                self.patients[submission.patient.national_id] += len(submission.documents)
                pending.add(pool.submit(self._send, submission))
                submissions += 1
                if len(pending) >= 4 * self.concurrency:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    progress.add(sum(f.result() for f in done))
            for future in pending:
                progress.add(future.result())
        progress.finish()
        self.loaded = total
        return LoadStage(wanted, submissions, round(time.perf_counter() - begin, 1))


class Progress:
    """A progress bar on stderr: documents, rate and time left."""

    WIDTH = 30

    def __init__(self, total: int, done: int) -> None:
        self.total, self.done, self._start_done = total, done, done
        self._start = self._shown = time.perf_counter()

    def add(self, documents: int) -> None:
        self.done += documents
        now = time.perf_counter()
        if now - self._shown >= 0.5:
            self._shown = now
            self._show(now)

    def _show(self, now: float) -> None:
        rate = (self.done - self._start_done) / max(now - self._start, 1e-9)
        left = (self.total - self.done) / rate if rate else 0.0
        filled = int(self.WIDTH * self.done / self.total)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        sys.stderr.write(
            f"\r  [{bar}] {self.done:>9,}/{self.total:,} documents  {rate:6.0f}/s  "
            f"{left / 60:5.1f} min left "
        )
        sys.stderr.flush()

    def finish(self) -> None:
        self._show(time.perf_counter())
        sys.stderr.write("\n")
