"""What validation found: findings and the report that turns them into XDS RegistryErrors."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.errors import RegistryError, Severity, XdsFailure
from schemas.validation.rules import Rule, Transaction


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One broken rule: its code, a message naming the object and slot, and where it happened."""

    rule: Rule
    code: str
    message: str
    location: str | None
    severity: Severity

    def registry_error(self) -> RegistryError:
        return RegistryError(
            code=self.code, context=self.message, location=self.location, severity=self.severity
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ValidationReport:
    """All findings for one RegistryObjectList, in the order the checks ran."""

    transaction: Transaction
    profile: str
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def is_valid(self) -> bool:
        """No finding is an error (warnings alone do not fail a submission)."""
        return not self.errors

    @property
    def rules(self) -> frozenset[Rule]:
        return frozenset(f.rule for f in self.findings)

    def registry_errors(self) -> tuple[RegistryError, ...]:
        """Every finding as a RegistryError; warnings keep Warning severity."""
        return tuple(f.registry_error() for f in self.findings)

    def raise_if_invalid(self) -> None:
        """Raise XdsFailure with every error and warning when any finding is an error."""
        if not self.is_valid:
            raise XdsFailure(*self.registry_errors())
