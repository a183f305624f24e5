"""The toolkit's log of a section, and the XPath it evaluates over it: `Report`s and `Assertions`.

NIST keeps one `log.xml` per section: `TestResults/TestStep[@id]/<Transaction>` holding the
request sent (`InputMetadata`) and the response (`Result`). Testplans address that shape directly
(12323 asserts over `//TestStep[@id="…"]/StoredQueryTransaction/Result/…`), so the replay builds
the same document:

- a `Report` is evaluated over a copy of its own step's transaction element (NIST `ReportManager`:
  `//` searches the request first, then the response); an empty value is a failure;
- an `Assert` is XPath 1.0 over `<Data>` holding one child per `DataRef` (`file="THIS"`: the
  section's log so far, this step included), after the step's placeholders (`UseId`, `UseReport`,
  whose names need no `$`) and `$DATE$` (today, `yyyymmdd`, UTC) are filled in; it holds when its
  string value is `true` (NIST `AssertionEngine`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import date

from lxml import etree

from tests.conformance.nist.prepare import text_filler
from tests.conformance.nist.report import CheckFailure
from tests.conformance.nist.testplan import Assertions, DataRef, Report

LOG_ROOT = "TestResults"
THIS_SECTION = "THIS"
INPUT_METADATA = "InputMetadata"
RESULT = "Result"
DATE_PLACEHOLDER = "$DATE$"
_DATA = "Data"


def step_log(
    step_id: str,
    transaction: str,
    request: etree._Element | None = None,
    result: etree._Element | None = None,
) -> etree._Element:
    """`TestStep[@id]/<transaction>` with copies of the request and the response, as NIST logs."""
    step = etree.Element("TestStep", id=step_id)
    output = etree.SubElement(step, transaction)
    for name, payload in ((INPUT_METADATA, request), (RESULT, result)):
        if payload is not None:
            etree.SubElement(output, name).append(copy.deepcopy(payload))
    return step


def section_log(steps: Iterable[etree._Element]) -> etree._Element:
    """A section's `TestResults` from its step logs, in run order."""
    root = etree.Element(LOG_ROOT)
    for step in steps:
        root.append(copy.deepcopy(step))
    return root


def _string_value(expression: str, context: etree._Element) -> str:
    """The XPath string value of `expression`, as Jaxen's `stringValueOf` gives it."""
    value = context.xpath(f"string({expression.strip()})")
    return str(value)


def evaluate_report(report: Report, log: etree._Element) -> str:
    """The value of a `Report` over its step's log; ValueError when it is empty or bad XPath."""
    document = copy.deepcopy(log)  # its own tree: `//` must not reach other steps
    try:
        value = _string_value(report.xpath, document)
    except etree.XPathError as exc:
        raise ValueError(f"report {report.name}: invalid XPath ({exc})") from exc
    if not value:
        raise ValueError(
            f"report {report.name} is empty: {report.xpath.strip()} over the {report.section}"
        )
    return value


def _data(data_refs: Iterable[DataRef], this_section: etree._Element) -> etree._Element:
    data = etree.Element(_DATA)
    for ref in data_refs:
        if ref.file != THIS_SECTION:
            raise ValueError(f"DataRef file={ref.file!r}: only THIS is supported")
        etree.SubElement(data, ref.as_).append(copy.deepcopy(this_section))
    return data


def check_assertions(
    assertions: Assertions,
    values: Mapping[str, str],
    this_section: etree._Element,
    today: date,
) -> list[CheckFailure]:
    """Every `Assert` that does not hold, with the XPath as evaluated and what it gave."""
    try:
        data = _data(assertions.data_refs, this_section)
    except ValueError as exc:
        return [CheckFailure("Assertions", str(exc))]
    fill = text_filler({**values, DATE_PLACEHOLDER: today.strftime("%Y%m%d")})
    failures = []
    for assertion in assertions.asserts:
        expression = fill(assertion.xpath)
        shown = " ".join(expression.split())
        check = f"Assert/{assertion.id}"
        try:
            result = _string_value(expression, data)
        except etree.XPathError as exc:
            failures.append(CheckFailure(check, f"invalid XPath ({exc}): {shown}"))
            continue
        if result.lower() != "true":
            failures.append(CheckFailure(check, f"{shown} gave {result or 'nothing'}"))
    return failures
