"""Demo data for `dokdeling run`: a few synthetic patients and their documents, published through
the real ITI-41 path (repository → worker → registry) with development-issuer publisher tokens,
once per data folder.

The plan is fixed (one seed), so every fresh data folder gets the same patients and documents:
epikriser, polikliniske epikriser, radiologisvar, henvisninger, a blood test, and one NORS
(sperret) document, each from the organisation that would write it. A marker file records that
the folder is seeded; a start with an existing marker, or with `--no-demo`, seeds nothing. A
failed seeding leaves no marker, so the next start tries again (documents already registered
are identical resubmissions: their uniqueIds and bytes are the same).
"""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dokdeling.client import XdsClient, find_documents_call
from dokdeling.synthetic import catalogue as k
from dokdeling.synthetic.catalogue import DocumentKind
from dokdeling.synthetic.generator import GeneratorSettings, SyntheticData
from dokdeling.synthetic.metadata import SyntheticDocument, SyntheticSubmission
from dokdeling.synthetic.people import Patient
from dokdeling.tokens import ToolTokens
from schemas.errors import ResponseStatus

DEMO_SEED = 2026
DEMO_FOLDER = "demo"
MARKER_FILE = "seeded.json"
STARTED_FILE = "started-at.txt"
QUERY_FILE = "find-documents.xml"
PARALLEL_SUBMISSIONS = 4

# What each demo patient has on record; the second patient's second epikrise is NORS.
_PATIENT_DOCUMENTS: tuple[tuple[DocumentKind, ...], ...] = (
    (k.HENVISNING, k.RADIOLOGISVAR, k.POLIKLINISK_EPIKRISE, k.EPIKRISE, k.POLIKLINISK_EPIKRISE),
    (k.EPIKRISE, k.EPIKRISE, k.POLIKLINISK_EPIKRISE),
    (k.POLIKLINISK_EPIKRISE, k.POLIKLINISK_EPIKRISE, k.RADIOLOGISVAR),
    (k.HENVISNING, k.POLIKLINISK_EPIKRISE, k.BIOKJEMI),
    (k.EPIKRISE, k.RADIOLOGISVAR, k.POLIKLINISK_EPIKRISE),
    (k.POLIKLINISK_EPIKRISE, k.EPIKRISE, k.RADIOLOGISVAR, k.SYKEPLEIESAMMENFATNING),
)
_NORS_DOCUMENT = (1, 1)  # (patient, document) positions


class DemoSeedingFailed(RuntimeError):
    """A demo submission was refused; nothing is marked as seeded."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoData:
    patients: tuple[Patient, ...]
    submissions: tuple[SyntheticSubmission, ...]

    @property
    def documents(self) -> tuple[SyntheticDocument, ...]:
        return tuple(d for s in self.submissions for d in s.documents)

    @property
    def example_patient(self) -> Patient:
        return self.patients[0]


def demo_data(now: datetime | None = None) -> DemoData:
    """The demo's patients and their submissions (the same for every data folder but for the
    dates, which end at `now`)."""
    data = SyntheticData(GeneratorSettings(seed=DEMO_SEED, now=now or datetime.now(UTC)))
    patients, submissions = [], []
    for p, kinds in enumerate(_PATIENT_DOCUMENTS):
        patient = data.patient()
        patients.append(patient)
        documents = [
            data.document(patient, kind, nors=(p, d) == _NORS_DOCUMENT)
            for d, kind in enumerate(kinds)
        ]
        submissions += data.submissions(documents)
    return DemoData(patients=tuple(patients), submissions=tuple(submissions))


def seeding_time(data_dir: Path) -> datetime:
    """When this folder's seeding first started: the demo's dates end there, so a seeding that
    is tried again produces the same documents (same uniqueIds, same bytes)."""
    path = data_dir / DEMO_FOLDER / STARTED_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(datetime.now(UTC).isoformat(timespec="seconds") + "\n", encoding="utf-8")
    return datetime.fromisoformat(path.read_text(encoding="utf-8").strip())


def marker_path(data_dir: Path) -> Path:
    return data_dir / DEMO_FOLDER / MARKER_FILE


def is_seeded(data_dir: Path) -> bool:
    return marker_path(data_dir).exists()


def seed(
    data: DemoData,
    client: XdsClient,
    tokens: ToolTokens,
    *,
    stop: Callable[[], bool] = lambda: False,
) -> int:
    """Publish every demo submission with ITI-41 (waiting for its registration); the number of
    documents published. DemoSeedingFailed names the first refusal."""

    def publish(submission: SyntheticSubmission) -> int:
        if stop():
            raise DemoSeedingFailed("stopped by a signal")
        token = tokens.publisher(submission.organisation.number)
        response = client.provide(submission.provide_request(), token=token)
        if response.status is not ResponseStatus.SUCCESS:
            detail = "; ".join(f"{e.code}: {e.context}" for e in response.errors)
            raise DemoSeedingFailed(f"ITI-41 for {submission.patient.name} failed: {detail}")
        return len(submission.documents)

    with ThreadPoolExecutor(PARALLEL_SUBMISSIONS) as pool:
        return sum(pool.map(publish, data.submissions))


def write_marker(data_dir: Path, data: DemoData) -> None:
    marker = marker_path(data_dir)
    marker.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "seeded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "patients": [
            {"national_id": p.national_id, "name": p.name, "documents": documents_of(data, p)}
            for p in data.patients
        ],
    }
    marker.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def documents_of(data: DemoData, patient: Patient) -> int:
    return sum(1 for d in data.documents if d.patient == patient)


def write_example_query(data_dir: Path, patient: Patient) -> Path:
    """The SOAP envelope of an ITI-18 FindDocuments for `patient`, for the curl example."""
    path = data_dir / DEMO_FOLDER / QUERY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(find_documents_call(patient.cx).body)
    return path


def dokdeling_command() -> str:
    """How to call this installation's `dokdeling` from any folder."""
    script = Path(sys.executable).parent / "dokdeling"
    on_path = shutil.which("dokdeling")
    if on_path is not None and Path(on_path).resolve() == script.resolve():
        return "dokdeling"
    if script.exists():
        return shlex.quote(str(script))
    return f"{shlex.quote(sys.executable)} -m dokdeling"


def example_lines(data_dir: Path, registry_url: str, patient: Patient) -> list[str]:
    """The token command and the copy-paste query `dokdeling run` prints."""
    query = write_example_query(data_dir, patient)
    token = (
        f"{dokdeling_command()} token issue --data-dir {shlex.quote(str(data_dir))} "
        f"--persona gp --patient {patient.national_id}"
    )
    curl = (
        f'curl -s -H "Authorization: Bearer $TOKEN" '
        f"-H 'Content-Type: application/soap+xml; charset=UTF-8' "
        f"--data-binary @{shlex.quote(str(query))} {registry_url}/xds/registry"
    )
    return [
        f"Try it: {patient.name} ({patient.national_id}) read by a GP (dokdeling token issue):",
        f"  TOKEN=$({token})",
        f"  {curl}",
        "The answer is an ITI-18 AdhocQueryResponse listing the patient's documents.",
    ]


def summary_lines(data: DemoData) -> Iterable[str]:
    yield (
        f"demo data: {len(data.patients)} synthetic patients, {len(data.documents)} documents "
        "(fødselsnummer with month + 80; made-up organisations and people)"
    )
    for patient in data.patients:
        yield f"  {patient.national_id}  {patient.name}: {documents_of(data, patient)} documents"
