"""A stand-in for the MTOM layer: MIME parts by Content-ID, for the document codecs' tests."""

from __future__ import annotations

import base64
import copy
from urllib.parse import unquote

from lxml import etree

from schemas import vocabulary as v
from schemas.model.messages import DocumentContent
from schemas.soap import sender_fault

_INCLUDE = f"{{{v.NS_XOP}}}Include"


class AttachmentStore:
    """Parts as the MTOM layer holds them; `attach` writes and `resolve` reads the contract."""

    def __init__(self, domain: str = "dokdeling.test") -> None:
        self.parts: dict[str, DocumentContent] = {}
        self._domain = domain

    def attach(self, content: DocumentContent) -> str:
        content_id = f"part {len(self.parts) + 1}@{self._domain}"  # a blank to percent-encode
        self.parts[content_id] = content
        return content_id

    def resolve(self, content_id: str) -> DocumentContent:
        try:
            return self.parts[content_id]
        except KeyError:
            raise sender_fault(f"no MIME part with Content-ID <{content_id}>") from None

    def reconstitute(self, root: etree._Element) -> etree._Element:
        """The XOP infoset: a copy with every xop:Include replaced by its part in base64."""
        result = copy.deepcopy(root)
        for include in list(result.iter(_INCLUDE)):
            parent = include.getparent()
            assert parent is not None
            with self.resolve(unquote(include.get("href", "")[len("cid:") :])).open() as part:
                parent.text = base64.b64encode(part.read()).decode("ascii")
            parent.remove(include)
        return result
