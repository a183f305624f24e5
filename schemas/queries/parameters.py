"""The slots of one AdhocQueryRequest checked against one stored query's parameter specs.

`QueryParameters.read` checks everything before any typed query is built and reports every problem
at once: a missing required parameter (XDSStoredQueryMissingParam), a wrong number of values or
slots (XDSStoredQueryParamNumber), and bad syntax, a missing quote or a value of the wrong kind
(XDSRegistryError, as the NIST registry simulator answers). Parameters the query does not define are
ignored (ebRS 3.0 §6.3.2.1) and listed in the options, so the registry can warn about them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from schemas import vocabulary as v
from schemas.errors import RegistryError, XdsErrorCode, XdsFailure
from schemas.model.common import AvailabilityStatus, DocumentEntryType
from schemas.model.hl7v2 import Cx, Timestamp
from schemas.model.messages import AdhocQueryRequest
from schemas.model.metadata import AssociationType
from schemas.queries.catalogue import ParameterSpec, StoredQuerySpec
from schemas.queries.model import (
    DEFAULT_METADATA_LEVEL,
    STABLE_ONLY,
    CodeFilter,
    IdentifierKind,
    ObjectSelector,
    QueryOptions,
    TimeRange,
)
from schemas.queries.syntax import Literal, ValueSyntaxError, parse_value
from schemas.queries.values import (
    READERS,
    read_association_type,
    read_code,
    read_entry_type,
    read_metadata_level,
    read_patient_id,
    read_status,
)

T = TypeVar("T")
Slots = tuple[tuple[str, ...], ...]

_IDENTIFIER_KINDS = {
    v.PARAM_DE_ENTRY_UUID: IdentifierKind.ENTRY_UUID,
    v.PARAM_FOLDER_ENTRY_UUID: IdentifierKind.ENTRY_UUID,
    v.PARAM_SS_ENTRY_UUID: IdentifierKind.ENTRY_UUID,
    v.PARAM_DE_UNIQUE_ID: IdentifierKind.UNIQUE_ID,
    v.PARAM_FOLDER_UNIQUE_ID: IdentifierKind.UNIQUE_ID,
    v.PARAM_SS_UNIQUE_ID: IdentifierKind.UNIQUE_ID,
    v.PARAM_DE_LOGICAL_ID: IdentifierKind.LOGICAL_ID,
    v.PARAM_FOLDER_LOGICAL_ID: IdentifierKind.LOGICAL_ID,
}


def parameter_error(code: XdsErrorCode, parameter: str, problem: str) -> RegistryError:
    """A RegistryError whose codeContext names the parameter and the problem."""
    return RegistryError(code=code, context=f"{parameter}: {problem}", location=parameter)


class _Problem(Exception):
    def __init__(self, code: XdsErrorCode, problem: str) -> None:
        super().__init__(problem)
        self.code = code
        self.problem = problem


def _literals(values: tuple[str, ...]) -> list[Literal]:
    literals: list[Literal] = []
    for text in values:
        try:
            literals.extend(parse_value(text).literals)
        except ValueSyntaxError as exc:
            raise _Problem(XdsErrorCode.REGISTRY_ERROR, f"cannot read {text!r}: {exc}") from exc
    return literals


def _checked_text(spec: ParameterSpec, literal: Literal, ignored: list[str]) -> str:
    if not literal.quoted and not spec.kind.accepts_bare:
        raise _Problem(
            XdsErrorCode.REGISTRY_ERROR,
            f"{literal.text!r} must be quoted ('{literal.text}'): it is {spec.kind.value}",
        )
    text = literal.text.strip()
    try:
        if READERS[spec.kind](text) is None:
            ignored.append(f"{spec.name}: value {text!r} is not understood and was ignored")
    except ValueError as exc:
        raise _Problem(
            XdsErrorCode.REGISTRY_ERROR, f"{text!r} is not {spec.kind.value}: {exc}"
        ) from exc
    return text


def _read_slots(spec: ParameterSpec, slots: list[tuple[str, ...]], ignored: list[str]) -> Slots:
    if len(slots) > 1 and not spec.and_across_slots:
        raise _Problem(
            XdsErrorCode.STORED_QUERY_PARAM_NUMBER,
            f"given in {len(slots)} slots; this parameter takes one slot",
        )
    read: list[tuple[str, ...]] = []
    for values in slots:
        literals = _literals(values)
        if not literals:
            raise _Problem(XdsErrorCode.STORED_QUERY_PARAM_NUMBER, "the slot has no value")
        if len(literals) > 1 and not spec.multiple:
            raise _Problem(
                XdsErrorCode.STORED_QUERY_PARAM_NUMBER,
                f"takes a single value, got {len(literals)}",
            )
        read.append(tuple(_checked_text(spec, literal, ignored) for literal in literals))
    return tuple(read)


def _presence_errors(spec: StoredQuerySpec, present: set[str]) -> list[RegistryError]:
    errors = [
        parameter_error(XdsErrorCode.STORED_QUERY_MISSING_PARAM, p.name, f"required by {spec.name}")
        for p in spec.parameters
        if p.required and p.name not in present
    ]
    alternatives = [name for name in spec.exactly_one_of if name in present]
    names = ", ".join(spec.exactly_one_of)
    if spec.exactly_one_of and not alternatives:
        errors.append(
            parameter_error(
                XdsErrorCode.STORED_QUERY_MISSING_PARAM, names, f"{spec.name} needs one of them"
            )
        )
    if len(alternatives) > 1:
        errors.append(
            parameter_error(
                XdsErrorCode.STORED_QUERY_PARAM_NUMBER,
                names,
                f"{spec.name} takes only one of them, got {', '.join(alternatives)}",
            )
        )
    if spec.at_least_one_of and not present.intersection(spec.at_least_one_of):
        errors.append(
            parameter_error(
                XdsErrorCode.STORED_QUERY_MISSING_PARAM,
                ", ".join(spec.at_least_one_of),
                f"{spec.name} needs at least one of them",
            )
        )
    return errors


class QueryParameters:
    """A request's parameter values, checked, with one typed getter per kind of parameter."""

    def __init__(self, spec: StoredQuerySpec, slots: dict[str, Slots], ignored: list[str]):
        self.spec = spec
        self._slots = slots
        self._ignored = tuple(ignored)

    @classmethod
    def read(cls, spec: StoredQuerySpec, request: AdhocQueryRequest) -> QueryParameters:
        """Check the request's slots against `spec`; raise `XdsFailure` listing every problem."""
        given: dict[str, list[tuple[str, ...]]] = {}
        for parameter in request.parameters:
            given.setdefault(parameter.name, []).append(parameter.values)
        ignored: list[str] = []
        slots: dict[str, Slots] = {}
        errors: list[RegistryError] = []
        for name, values in given.items():
            parameter_spec = spec.parameter(name)
            if parameter_spec is None:
                ignored.append(f"{name}: not a parameter of {spec.name}; ignored")
                continue
            try:
                slots[name] = _read_slots(parameter_spec, values, ignored)
            except _Problem as problem:
                errors.append(parameter_error(problem.code, name, problem.problem))
        errors.extend(_presence_errors(spec, set(given)))
        if errors:
            raise XdsFailure(*errors)
        return cls(spec, slots, ignored)

    def _each(self, name: str, reader: Callable[[str], T]) -> tuple[T, ...]:
        return tuple(reader(text) for slot in self._slots.get(name, ()) for text in slot)

    def _single(self, name: str) -> str | None:
        texts = self._each(name, str)
        return texts[0] if texts else None

    def patient_id(self, name: str) -> Cx:
        """A required single patient id (presence was checked in `read`)."""
        return read_patient_id(self._each(name, str)[0])

    def patient_ids(self, name: str) -> tuple[Cx, ...]:
        return self._each(name, read_patient_id)

    def statuses(self, name: str) -> tuple[AvailabilityStatus, ...]:
        return tuple(s for s in self._each(name, read_status) if s is not None)

    def codes(self, name: str) -> CodeFilter:
        return tuple(tuple(read_code(text) for text in slot) for slot in self._slots.get(name, ()))

    def time_range(self, start: str, end: str) -> TimeRange:
        start_text, end_text = self._single(start), self._single(end)
        return TimeRange(
            start=None if start_text is None else Timestamp.parse(start_text),
            end=None if end_text is None else Timestamp.parse(end_text),
        )

    def strings(self, name: str) -> tuple[str, ...]:
        return self._each(name, str)

    def string_groups(self, name: str) -> tuple[tuple[str, ...], ...]:
        return self._slots.get(name, ())

    def string(self, name: str) -> str | None:
        return self._single(name)

    def entry_types(self) -> tuple[DocumentEntryType, ...]:
        return self._each(v.PARAM_DE_TYPE, read_entry_type) or STABLE_ONLY

    def association_types(self, name: str) -> tuple[AssociationType, ...]:
        return self._each(name, read_association_type)

    def selector(self) -> ObjectSelector:
        """The objects named by the query's one-of identifier parameters (exactly one is given)."""
        name = next(n for n in self.spec.exactly_one_of if n in self._slots)
        return ObjectSelector(_IDENTIFIER_KINDS[name], self._each(name, str))

    def options(self, request: AdhocQueryRequest) -> QueryOptions:
        level = self._single(v.PARAM_METADATA_LEVEL)
        return QueryOptions(
            return_type=request.return_type,
            home_community_id=self._single(v.PARAM_HOME_COMMUNITY_ID) or request.home_community_id,
            metadata_level=DEFAULT_METADATA_LEVEL if level is None else read_metadata_level(level),
            ignored=self._ignored,
        )
