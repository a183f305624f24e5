"""ITI-18 FindDocuments through the whole secured path (token, policy, SQL, audit record, response)
beside its floor, in the same run: the same SQL through psycopg, and an empty request through the
same HTTP server stack. Each at concurrency 1 and 8, for patients drawn from the loaded data."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy import event

from bench.http import Connection, Target, prepare
from bench.latency import Call, Measurement, measure
from dokdeling.client import find_documents_call, find_documents_query
from dokdeling.tokens import ToolTokens
from registry.codec import EbrimObjectCodec
from registry.services import run_stored_query
from registry.settings import RegistrySettings
from registry.storage import SqlRegistryStore, create_registry_engine
from schemas.model import Cx
from schemas.norway import oids
from schemas.queries import parse_stored_query

SUCCESS = b"ResponseStatusType:Success"
CONCURRENCIES = (1, 8)


@dataclass(frozen=True, slots=True)
class CapturedSql:
    """The statement the registry runs for FindDocuments, and which parameter is the patient."""

    statement: str
    parameters: Mapping[str, Any]
    patient_parameter: str

    def for_patient(self, patient: Cx) -> dict[str, Any]:
        return {**self.parameters, self.patient_parameter: patient.render()}


def capture_find_documents_sql(environ: Mapping[str, str], patient: Cx) -> CapturedSql:
    """Run the registry's own FindDocuments for `patient` and record its SELECT."""
    settings = RegistrySettings.from_env(environ)
    engine = create_registry_engine(settings.database_url)
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        store = SqlRegistryStore(engine, EbrimObjectCodec())
        query = parse_stored_query(find_documents_query(patient))
        run_stored_query(store, query, options=settings.service_options())
    finally:
        engine.dispose()
    (statement, parameters), *_ = [s for s in seen if s[0].lstrip().upper().startswith("SELECT")]
    name = next(k for k, value in parameters.items() if value == patient.render())
    return CapturedSql(statement=statement, parameters=dict(parameters), patient_parameter=name)


def _http_callers(target: Target, requests: Sequence[bytes]) -> Callable[[int], Call]:
    def make(_index: int) -> Call:
        connection = Connection(target)

        def call(n: int) -> None:
            status, _, body = connection.request(requests[n % len(requests)])
            if status != 200 or (target.path != "/empty" and SUCCESS not in body):
                raise RuntimeError(f"HTTP {status}: {body[:300]!r}")

        return call

    return make


def _sql_callers(conninfo: str, sql: CapturedSql, patients: Sequence[Cx]) -> Callable[[int], Call]:
    parameters = [sql.for_patient(p) for p in patients]

    def make(_index: int) -> Call:
        connection = psycopg.connect(conninfo, autocommit=True)

        def call(n: int) -> None:
            connection.execute(sql.statement, parameters[n % len(parameters)]).fetchall()

        return call

    return make


def _queries(
    target: Target, tokens: ToolTokens, patients: Sequence[str], sample: int
) -> tuple[list[Cx], list[bytes]]:
    """Patients drawn from `patients`, and a prepared FindDocuments with a GP token for each."""
    rng = random.Random(18)  # noqa: S311 (which patients to ask for)
    drawn = rng.sample(list(patients), min(sample, len(patients)))
    chosen = [Cx.of(number, oids.FODSELSNUMMER) for number in drawn]
    return chosen, [
        prepare(
            target,
            find_documents_call(cx).body,
            {
                "Content-Type": find_documents_call(cx).content_type,
                "Authorization": f"Bearer {tokens.reader(cx)}",
            },
        )
        for cx in chosen
    ]


def iti18_load(
    registry_endpoint: str, tokens: ToolTokens, patients: Sequence[str], seconds: float
) -> Measurement:
    """ITI-18 alone at concurrency 8 (while the registry is profiled)."""
    target = Target.of(registry_endpoint)
    _, requests = _queries(target, tokens, patients, 300)
    return measure(_http_callers(target, requests), concurrency=8, seconds=seconds, warmup=0.5)


def measure_iti18(
    *,
    registry_endpoint: str,
    floor_url: str,
    conninfo: str,
    environ: Mapping[str, str],
    tokens: ToolTokens,
    patients: Sequence[str],
    seconds: float,
    sample: int = 2000,
) -> dict[str, Any]:
    """p50/p99 and queries/s of ITI-18 and of both floors, at each concurrency."""
    target = Target.of(registry_endpoint)
    chosen, requests = _queries(target, tokens, patients, sample)
    empty = [prepare(Target.of(f"{floor_url}/empty"), b"", {"Content-Type": "text/plain"})]
    sql = capture_find_documents_sql(environ, chosen[0])
    results: dict[str, dict[int, Measurement]] = {"iti18": {}, "sql": {}, "http": {}}
    for concurrency in CONCURRENCIES:
        results["sql"][concurrency] = measure(
            _sql_callers(conninfo, sql, chosen), concurrency=concurrency, seconds=seconds
        )
        results["http"][concurrency] = measure(
            _http_callers(Target.of(f"{floor_url}/empty"), empty),
            concurrency=concurrency,
            seconds=seconds,
        )
        results["iti18"][concurrency] = measure(
            _http_callers(target, requests), concurrency=concurrency, seconds=seconds
        )
    return {
        "patients_asked": len(chosen),
        "sql": sql.statement,
        "runs": {
            name: {str(c): m.as_dict() for c, m in by_concurrency.items()}
            for name, by_concurrency in results.items()
        },
        "ratios": ratios(results),
    }


def ratios(results: Mapping[str, Mapping[int, Measurement]]) -> dict[str, dict[str, float]]:
    """ITI-18 against the floor: p50 over (SQL p50 + empty-request p50), and throughput over
    each floor's throughput."""
    out = {}
    for concurrency, iti18 in results["iti18"].items():
        sql, http = results["sql"][concurrency], results["http"][concurrency]
        out[str(concurrency)] = {
            "p50_over_floor": round(iti18.p50_ms / (sql.p50_ms + http.p50_ms), 2),
            "p50_over_sql": round(iti18.p50_ms / sql.p50_ms, 2),
            "p50_over_http": round(iti18.p50_ms / http.p50_ms, 2),
            "throughput_share_of_sql": round(iti18.per_second / sql.per_second, 3),
            "throughput_share_of_http": round(iti18.per_second / http.per_second, 3),
        }
    return out
