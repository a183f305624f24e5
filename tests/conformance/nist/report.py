"""What a replay found: one `StepResult` per step, a `RunReport` over them, as text or JSON.

A step passes when no check failed. Every failed check names itself and why (`CheckFailure`), so a
report can be read without the toolkit's logs. Timings are reported, never judged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class CheckFailure:
    """A check that did not hold: which (`status`, `ExpectedContents/SSwithOneDoc`, …) and why."""

    check: str
    detail: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportedError:
    """A `RegistryError` of the response, as it was written."""

    code: str
    context: str
    severity: str
    location: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StepResult:
    """The judgement of one step of one section of one test."""

    test: str
    section: str
    step: str
    transaction: str
    expected_statuses: tuple[str, ...] = ()
    actual_status: str | None = None
    endpoint: str | None = None
    http_status: int | None = None
    errors: tuple[ReportedError, ...] = ()
    failures: tuple[CheckFailure, ...] = ()
    notes: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def where(self) -> str:
        return "/".join(part for part in (self.test, self.section, self.step) if part)


@dataclass(frozen=True, slots=True)
class RunReport:
    steps: tuple[StepResult, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return all(step.passed for step in self.steps)

    @property
    def failed_tests(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(step.test for step in self.steps if not step.passed))

    @property
    def tests(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(step.test for step in self.steps))

    def to_json(self) -> dict[str, Any]:
        """The machine-readable report (`--report FILE`)."""
        return {
            "passed": self.passed,
            "summary": {
                "steps": len(self.steps),
                "steps_failed": sum(not step.passed for step in self.steps),
                "tests": list(self.tests),
                "tests_failed": list(self.failed_tests),
            },
            "steps": [{**asdict(step), "passed": step.passed} for step in self.steps],
        }

    def write_json(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(self.to_json(), handle, indent=2)
            handle.write("\n")


def _statuses(names: tuple[str, ...]) -> str:
    return ",".join(name.rsplit(":", 1)[-1] for name in names) or "-"


def step_lines(step: StepResult) -> Iterator[str]:
    """The lines one step prints: a verdict line, then errors, failures and notes, indented."""
    verdict = "PASS" if step.passed else "FAIL"
    actual = step.actual_status.rsplit(":", 1)[-1] if step.actual_status else "-"
    status = f"expected {_statuses(step.expected_statuses)}, got {actual}"
    if not step.expected_statuses and step.actual_status is None:
        status = "no status"
    yield f"{verdict} {step.where} [{step.transaction}] {status} ({step.seconds:.2f} s)"
    for error in step.errors:
        where = f" at {error.location}" if error.location else ""
        severity = error.severity.rsplit(":", 1)[-1] or "no severity"
        yield f"    error {error.code} ({severity}){where}: {error.context}"
    for failure in step.failures:
        yield f"    failed {failure.check}: {failure.detail}"
    for note in step.notes:
        yield f"    note: {note}"


def summary_lines(report: RunReport) -> Iterator[str]:
    failed_steps = sum(not step.passed for step in report.steps)
    yield (
        f"{len(report.steps)} steps in {len(report.tests)} tests: "
        f"{len(report.steps) - failed_steps} passed, {failed_steps} failed"
    )
    if report.failed_tests:
        yield "failed tests: " + " ".join(report.failed_tests)
    yield "PASSED" if report.passed else "FAILED"
