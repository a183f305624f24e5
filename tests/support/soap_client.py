"""zeep, the real SOAP client of the tests (its API is untyped, so it is handed out as Any).

Two gaps of zeep meet ebRIM 3.0, and the plugins here bridge them at the wire:

- zeep does not implement XML Schema substitution groups, on which `rim:RegistryObjectList`
  builds (its members `rim:ExtrinsicObject`, `rim:RegistryPackage`, … stand for
  `rim:Identifiable`). `SubstitutionGroups` renames received members to `rim:Identifiable
  xsi:type="rim:ExtrinsicObjectType"` (the same content under the head element, which zeep reads);
  the names and types come from the official `rim.xsd`.
- zeep resolves the cycle RegistryObjectType → Classification → ClassificationType (which extends
  RegistryObjectType) before the base is complete, so its ClassificationType has no `Slot` and no
  `id`: a Classification with a `codingScheme` cannot be built with zeep's types. `Submitted`
  puts registry objects, given as XML, into the `rim:RegistryObjectList` zeep wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import zeep
from lxml import etree
from zeep import Plugin, Settings
from zeep.wsa import WsAddressingPlugin

from schemas import vocabulary as v
from schemas.xml import parse_xml

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
_HEAD = f"{{{v.NS_RIM}}}Identifiable"
_LIST = f"{{{v.NS_RIM}}}RegistryObjectList"


def zeep_client(wsdl: str, plugins: Sequence[Any] = (), *, strict: bool = True) -> Any:
    """A zeep client for the WSDL at `wsdl` (a file:// or http:// URL)."""
    settings = Settings(strict=strict)
    return zeep.Client(wsdl, plugins=list(plugins), settings=settings)  # type: ignore[no-untyped-call]


def identifiable_members(rim_xsd: Path) -> dict[str, str]:
    """Element local name → type local name of `rim:Identifiable`'s substitution group."""
    schema = parse_xml(rim_xsd.read_bytes())
    return {
        element.get("name", ""): element.get("type", "").split(":")[-1]
        for element in schema.iter(f"{{{v.NS_XSD}}}element")
        if element.get("substitutionGroup", "").endswith(":Identifiable")
    }


class SubstitutionGroups(Plugin):
    """Received `rim:RegistryObjectList` members → `rim:Identifiable xsi:type=T`."""

    def __init__(self, members: dict[str, str]) -> None:
        self.type_of = {f"{{{v.NS_RIM}}}{element}": t for element, t in members.items()}

    def ingress(self, envelope: Any, http_headers: Any, operation: Any) -> Any:
        for object_list in envelope.iter(_LIST):
            for member in object_list:
                type_name = self.type_of.get(member.tag)
                if type_name is not None:
                    member.tag = _HEAD
                    prefix = next(p for p, ns in member.nsmap.items() if ns == v.NS_RIM)
                    member.set(XSI_TYPE, f"{prefix}:{type_name}")
        return envelope, http_headers


class Submitted(Plugin):
    """Appends `objects` (ebRIM elements) to the outgoing `rim:RegistryObjectList`."""

    def __init__(self, objects: Sequence[etree._Element]) -> None:
        self.objects = objects

    def egress(self, envelope: Any, http_headers: Any, operation: Any, binding_options: Any) -> Any:
        for object_list in envelope.iter(_LIST):
            object_list.extend(etree.fromstring(etree.tostring(o)) for o in self.objects)
        return envelope, http_headers


class Authorization(Plugin):
    """`Authorization: Bearer <token>` on every request."""

    def __init__(self, token: str) -> None:
        self.token = token

    def egress(self, envelope: Any, http_headers: Any, operation: Any, binding_options: Any) -> Any:
        http_headers["Authorization"] = f"Bearer {self.token}"
        return envelope, http_headers


def official_client(conformance: Path, wsdl: str, token: str | None = None, *extra: Plugin) -> Any:
    """zeep on an official IHE WSDL of the corpus with WS-Addressing, the substitution-group
    bridge, given a token the Authorization header, and `extra` plugins. It reads answers
    leniently (`strict=False`): what its broken ClassificationType cannot hold is skipped."""
    schemas = conformance / "schemas/ihe-xdsb"
    plugins: list[Any] = [
        WsAddressingPlugin(),
        SubstitutionGroups(identifiable_members(schemas / "schema/ebRS/rim.xsd")),
        *extra,
    ]
    if token is not None:
        plugins.append(Authorization(token))
    return zeep_client((schemas / "wsdl" / wsdl).as_uri(), plugins, strict=False)
