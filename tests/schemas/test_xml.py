from __future__ import annotations

import pytest

from schemas.xml import UnsafeXml, UnsafeXmlReason, XmlLimits, parse_xml

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<lolz>&lol3;</lolz>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>"""

XXE_NETWORK = b"""<!DOCTYPE foo SYSTEM "http://127.0.0.1:1/evil.dtd"><foo/>"""


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (BILLION_LAUGHS, UnsafeXmlReason.DOCTYPE_FORBIDDEN),
        (XXE, UnsafeXmlReason.DOCTYPE_FORBIDDEN),
        (XXE_NETWORK, UnsafeXmlReason.DOCTYPE_FORBIDDEN),
        (XXE.decode().encode("utf-16"), UnsafeXmlReason.DOCTYPE_FORBIDDEN),
        (b"<!-- hidden --><!DOCTYPE a><a/>", UnsafeXmlReason.DOCTYPE_FORBIDDEN),
        (b"<a>&undeclared;</a>", UnsafeXmlReason.ENTITY_FORBIDDEN),
        (b"<a>" * 65 + b"</a>" * 65, UnsafeXmlReason.TOO_DEEP),
        (b"<a>" * 5000 + b"</a>" * 5000, UnsafeXmlReason.TOO_DEEP),
        (b"<a><b>", UnsafeXmlReason.MALFORMED),
        (b"", UnsafeXmlReason.MALFORMED),
    ],
)
def test_hostile_xml_is_refused_with_its_reason(document: bytes, reason: UnsafeXmlReason) -> None:
    with pytest.raises(UnsafeXml) as caught:
        parse_xml(document)
    assert caught.value.reason is reason


def test_oversize_input_is_refused_before_parsing() -> None:
    with pytest.raises(UnsafeXml) as caught:
        parse_xml(b"<a>" + b"x" * 2000 + b"</a>", XmlLimits(max_bytes=1000))
    assert caught.value.reason is UnsafeXmlReason.TOO_LARGE


def test_element_count_limit() -> None:
    with pytest.raises(UnsafeXml) as caught:
        parse_xml(b"<a>" + b"<b/>" * 20 + b"</a>", XmlLimits(max_elements=10))
    assert caught.value.reason is UnsafeXmlReason.TOO_MANY_ELEMENTS


def test_ordinary_documents_parse() -> None:
    root = parse_xml(
        b'<?xml version="1.0" encoding="UTF-8"?><!-- c --><a x="1"><b>\xc3\xa6</b></a>'
    )
    assert root.tag == "a"
    assert root.findtext("b") == "æ"
