"""The official XSDs of the corpus, compiled once, offline (no schema location leaves the disk).

`ihe_xdsb()` is `schemas/ihe-xdsb` (ebRS 3.0 lcm/query/rs/rim and the IHE XDS.b repository
schema). ihe-xdsb has no ITI-86 schema: `remove_documents()` compiles the one declared in
`ipf-xds-wsdl/iti86.wsdl` (RemoveDocumentsRequest of `RetrieveDocumentSetRequestType`, 1..n
DocumentRequests) against ihe-xdsb, and `nist_rmd()` is `nist-v3/rmd.xsd`, which allows exactly one.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

from lxml import etree

from schemas import vocabulary as v
from tests.support.paths import conformance_dir

_XSD = "http://www.w3.org/2001/XMLSchema"
_WSDL = "http://schemas.xmlsoap.org/wsdl/"


class _OfflineResolver(etree.Resolver):
    """Refuses every schema location that is not a local file."""

    def resolve(self, system_url: str, public_id: str, context: object = None) -> None:
        if "://" in system_url and not system_url.startswith("file://"):
            raise OSError(f"schema location {system_url} would need the network")


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_OfflineResolver())
    return parser


def _schemas() -> Path:
    return conformance_dir() / "schemas"


def _compile(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path), _parser()))


@functools.cache
def ihe_xdsb() -> etree.XMLSchema:
    return _compile(_schemas() / "ihe-xdsb" / "schema" / "IHE" / "XDS.b_DocumentRepository.xsd")


@functools.cache
def nist_rmd() -> etree.XMLSchema:
    return _compile(_schemas() / "nist-v3" / "rmd.xsd")


@functools.cache
def remove_documents() -> etree.XMLSchema:
    """The rmd schema of iti86.wsdl, its xdsb import pointed at the ihe-xdsb repository schema."""
    wsdl = etree.parse(str(_schemas() / "ipf-xds-wsdl" / "iti86.wsdl"), _parser())
    declared = wsdl.find(f"{{{_WSDL}}}types/{{{_XSD}}}schema")
    assert declared is not None, "iti86.wsdl declares no schema"
    # A fresh root keeps every namespace in scope in the WSDL: the QName in `type` needs `xds`.
    in_scope = {prefix: uri for prefix, uri in declared.nsmap.items() if prefix is not None}
    schema = etree.Element(declared.tag, dict(declared.attrib), nsmap=in_scope)
    schema.extend(copy.deepcopy(child) for child in declared)
    repository = _schemas() / "ihe-xdsb" / "schema" / "IHE" / "XDS.b_DocumentRepository.xsd"
    for imported in schema.iter(f"{{{_XSD}}}import"):
        imported.set("schemaLocation", repository.as_uri())
    return etree.XMLSchema(etree.ElementTree(schema))


def _schemas_for(root: etree._Element) -> list[etree.XMLSchema]:
    if etree.QName(root).namespace == v.NS_RMD:
        single = len(root) == 1
        return [remove_documents(), nist_rmd()] if single else [remove_documents()]
    return [ihe_xdsb()]


def assert_valid(root: etree._Element) -> None:
    """Assert that `root` is valid against every official schema that defines it."""
    reparsed = etree.fromstring(etree.tostring(root))
    for schema in _schemas_for(reparsed):
        if not schema.validate(reparsed):
            name = etree.QName(root).localname
            raise AssertionError(f"{name} is not schema-valid:\n{schema.error_log}")


def schema_errors(root: etree._Element) -> list[str]:
    """Every error of `root` against the official schemas that define it, one line each."""
    reparsed = etree.fromstring(etree.tostring(root))
    errors: list[str] = []
    for schema in _schemas_for(reparsed):
        if not schema.validate(reparsed):
            errors.extend(str(schema.error_log).splitlines())
    return errors
