"""The ebRS 3.0 messages of the conformance corpus, selected by their root element.

`ebrs_corpus()` reads every candidate file once: NIST testkit files (placeholders filled by
`tests.support.nist`), the IPF and dcm4chee samples and the NHN request templates (SOAP body
unwrapped). Files that are not ebRS 3.0 messages are returned as skips with their reason.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from schemas import vocabulary as v
from schemas.soap import SoapFault, read_envelope, soap
from schemas.xml import UnsafeXml, parse_xml
from tests.support.nist import substitute_placeholders
from tests.support.paths import conformance_dir

CANDIDATES = (
    "nist-testkit/**/*.xml",
    "samples/ipf/*.xml",
    "samples/dcm4chee-xds2-registry-ws/**/*.xml",
    "nhn-xcads/TestData/IntegrationTests/IT_iti-*.xml",
    "nhn-xcads/TestData/SoapRequests/*.xml",
)

NOT_WELL_FORMED = "not well-formed XML"
TESTPLAN = "a NIST testplan, not a message"
EBRS21 = "ebRS 2.1 (the NIST harness translates it to 3.0 before use)"
NOT_EBXML = "not an XDS message"


@dataclass(frozen=True, slots=True)
class CorpusMessage:
    name: str  # path relative to the corpus
    payload: etree._Element


@dataclass(frozen=True, slots=True)
class CorpusSkip:
    name: str
    reason: str
    detail: str


def _payload(path: Path) -> etree._Element:
    data = path.read_bytes()
    if "nist-testkit" in path.parts:
        data = substitute_placeholders(data.decode("utf-8")).encode("utf-8")
    root = parse_xml(data)
    return read_envelope(root).body if root.tag == soap("Envelope") else root


def _classify(name: str, path: Path, message_roots: frozenset[str]) -> CorpusMessage | CorpusSkip:
    try:
        payload = _payload(path)
    except (UnsafeXml, SoapFault) as exc:
        return CorpusSkip(name, NOT_WELL_FORMED, str(exc))
    namespace = etree.QName(payload).namespace
    if payload.tag in message_roots:
        return CorpusMessage(name, payload)
    if payload.tag == "TestPlan":
        return CorpusSkip(name, TESTPLAN, payload.tag)
    if namespace in (v.NS_RS21, v.NS_RIM21):
        return CorpusSkip(name, EBRS21, payload.tag)
    return CorpusSkip(name, NOT_EBXML, payload.tag)


@functools.cache
def ebrs_corpus(
    message_roots: frozenset[str],
) -> tuple[tuple[CorpusMessage, ...], tuple[CorpusSkip, ...]]:
    """The messages whose root is one of `message_roots`, and every other file with a reason."""
    base = conformance_dir()
    paths = sorted({p for pattern in CANDIDATES for p in base.glob(pattern)})
    results = [_classify(str(p.relative_to(base)), p, message_roots) for p in paths]
    return (
        tuple(r for r in results if isinstance(r, CorpusMessage)),
        tuple(r for r in results if isinstance(r, CorpusSkip)),
    )
