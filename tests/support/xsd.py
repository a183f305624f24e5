"""Official XSDs from the conformance corpus, compiled once per session and never from the network.

`lxml` resolves the schemas' relative `schemaLocation` imports from the files next to them; the
parser may not fetch anything over the network, so a missing file fails loudly instead.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from tests.support.paths import conformance_dir

LCM_XSD = Path("schemas/ihe-xdsb/schema/ebRS/lcm.xsd")
QUERY_XSD = Path("schemas/ihe-xdsb/schema/ebRS/query.xsd")


@cache
def load_schema(relative: Path) -> etree.XMLSchema:
    """The schema at `relative` under the conformance corpus."""
    path = conformance_dir() / relative
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def schema_errors(schema: etree.XMLSchema, element: etree._Element) -> list[str]:
    """Every validation error of `element`, one line each (empty when it is valid)."""
    if schema.validate(element):
        return []
    return str(schema.error_log).splitlines()
