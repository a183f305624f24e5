"""Each registry object as its own LeafClass ebRIM XML, and back."""

from __future__ import annotations

import pytest

from registry.codec import EbrimObjectCodec
from schemas import vocabulary as v
from schemas.model import RegistryObjectBase
from schemas.xml import parse_xml
from tests.support import xds_samples

CODEC = EbrimObjectCodec()


@pytest.mark.parametrize(
    "obj",
    [
        xds_samples.document_entry(),
        xds_samples.submission_set(),
        xds_samples.folder(),
        xds_samples.replacement(),
    ],
    ids=lambda o: type(o).__name__,
)
def test_round_trip(obj: RegistryObjectBase) -> None:
    assert CODEC.parse(CODEC.render(obj)) == obj


@pytest.mark.parametrize(
    ("obj", "node"),
    [
        (xds_samples.submission_set(), v.SS_CLASSIFICATION_NODE),
        (xds_samples.folder(), v.FOLDER_CLASSIFICATION_NODE),
    ],
)
def test_packages_carry_their_classification_inside(obj: RegistryObjectBase, node: str) -> None:
    element = parse_xml(CODEC.render(obj))
    nodes = [c.get("classificationNode") for c in element.iterfind(f"{{{v.NS_RIM}}}Classification")]
    assert node in nodes
    assert element.nsmap == {"rim": v.NS_RIM}


def test_something_else_is_not_a_registry_object() -> None:
    with pytest.raises(ValueError, match="not a registry object"):
        CODEC.parse(f'<rim:ObjectRef xmlns:rim="{v.NS_RIM}" id="urn:uuid:x"/>'.encode())
