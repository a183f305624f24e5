"""`SyntheticData`: a reproducible stream of synthetic patients and their documents.

Everything comes from one seeded `random.Random`, so a seed gives the same patients, documents and
uniqueIds every time. Documents per patient run from 1 to 500 (log-normal, median 12: most
patients have a handful, a few have hundreds); kinds follow the NUFA mix (`catalogue.NUFA_MIX`);
a small share is NORS (sperret). A patient's documents are grouped into one submission per
author institution, at most `max_per_submission` documents each.
"""

from __future__ import annotations

import math
import random
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from dokdeling.synthetic.catalogue import NUFA_MIX, DocumentKind
from dokdeling.synthetic.metadata import NORMAL, NORS, SyntheticDocument, SyntheticSubmission
from dokdeling.synthetic.organisations import Organisation
from dokdeling.synthetic.people import Patient, random_patient

MAX_DOCUMENTS_PER_PATIENT = 500
MEDIAN_DOCUMENTS_PER_PATIENT = 12
_SPREAD = 1.2  # sigma of the log-normal: mean about 25 documents per patient
_HISTORY_DAYS = 10 * 365


@dataclass(frozen=True, slots=True, kw_only=True)
class GeneratorSettings:
    seed: int = 47
    now: datetime
    """The generated history ends here (timezone-aware)."""
    mix: tuple[tuple[DocumentKind, float], ...] = NUFA_MIX
    nors_share: float = 0.005
    max_per_submission: int = 100
    pad_to: int = 0
    """Grow every PDF to at least this many bytes (0: a small PDF of about 1.5 KB)."""


class SyntheticData:
    """Draws patients, documents and submissions from one seeded random generator."""

    def __init__(self, settings: GeneratorSettings) -> None:
        self.settings = settings
        self._rng = random.Random(settings.seed)  # noqa: S311 (reproducible test data, no secret)
        self._kinds = [kind for kind, _ in settings.mix]
        self._weights = [share for _, share in settings.mix]
        self._patients: set[str] = set()

    def unique_id(self) -> str:
        """A fresh OID under 2.25 (ITU-T X.667: a UUID as an integer)."""
        return f"2.25.{uuid.UUID(int=self._rng.getrandbits(128), version=4).int}"

    def patient(self) -> Patient:
        return random_patient(self._rng, taken=self._patients)

    def documents_per_patient(self) -> int:
        drawn = self._rng.lognormvariate(math.log(MEDIAN_DOCUMENTS_PER_PATIENT), _SPREAD)
        return max(1, min(MAX_DOCUMENTS_PER_PATIENT, round(drawn)))

    def kind(self) -> DocumentKind:
        return self._rng.choices(self._kinds, weights=self._weights)[0]

    def document(
        self, patient: Patient, kind: DocumentKind, *, nors: bool | None = None
    ) -> SyntheticDocument:
        """One document of `kind` about `patient`; NORS by the configured share unless given."""
        rng = self._rng
        organisation = rng.choice(kind.publishers)
        start = self.settings.now - timedelta(days=rng.uniform(1, _HISTORY_DAYS))
        stay = timedelta(days=rng.randint(1, 12)) if kind.key == "epikrise" else timedelta(0)
        stop = start + stay + timedelta(hours=rng.uniform(0.5, 6))
        if nors is None:
            nors = rng.random() < self.settings.nors_share
        return SyntheticDocument(
            kind=kind,
            patient=patient,
            organisation=organisation,
            author=rng.choice(organisation.practitioners),
            title=rng.choice(kind.titles),
            lines=tuple(rng.sample(kind.findings, k=min(3, len(kind.findings)))),
            unique_id=self.unique_id(),
            service_start=start.replace(microsecond=0),
            service_stop=stop.replace(microsecond=0),
            created=min(stop + timedelta(hours=rng.uniform(1, 72)), self.settings.now).replace(
                microsecond=0
            ),
            confidentiality=NORS if nors else NORMAL,
            pad_to=self.settings.pad_to,
        )

    def submissions(self, documents: Sequence[SyntheticDocument]) -> list[SyntheticSubmission]:
        """One patient's documents as submissions: per organisation, at most
        `max_per_submission` documents each, oldest first."""
        by_organisation: dict[Organisation, list[SyntheticDocument]] = defaultdict(list)
        for document in sorted(documents, key=lambda d: d.created):
            by_organisation[document.organisation].append(document)
        size = self.settings.max_per_submission
        submissions = []
        for organisation, own in by_organisation.items():
            for start in range(0, len(own), size):
                chunk = tuple(own[start : start + size])
                submissions.append(
                    SyntheticSubmission(
                        documents=chunk,
                        unique_id=self.unique_id(),
                        source_id=organisation.source_id,
                        submitted=chunk[-1].created,
                    )
                )
        return submissions

    def stream(self, total_documents: int) -> Iterator[SyntheticSubmission]:
        """Submissions of new patients until `total_documents` documents (the last patient gets
        fewer when needed)."""
        remaining = total_documents
        while remaining > 0:
            patient = self.patient()
            count = min(self.documents_per_patient(), remaining)
            remaining -= count
            yield from self.submissions([self.document(patient, self.kind()) for _ in range(count)])
