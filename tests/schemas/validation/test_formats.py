from __future__ import annotations

from collections.abc import Callable

import pytest

from schemas.validation import formats

FNR = "12838512311^^^&2.16.578.1.12.4.1.4.1&ISO"


@pytest.mark.parametrize(
    ("check", "value", "fine"),
    [
        (formats.oid_problem, "2.16.578.1.12.4.1.4.1", True),
        (formats.oid_problem, "1.3.6.1.4.1.21367.2005.3.7", True),
        (formats.oid_problem, "3.4.5", True),  # dcm4chee's samples use such roots
        (formats.oid_problem, "1.02.3", False),
        (formats.oid_problem, "1", False),
        (formats.oid_problem, "1." + "1." * 32 + "1", False),  # longer than 64
        (formats.document_unique_id_problem, "2.999.47.1^ext-17", True),
        (formats.document_unique_id_problem, "2.999.47.1^", False),
        (formats.document_unique_id_problem, "2.999.47.1^a^b", False),
        (formats.dtm_problem, "2025", True),
        (formats.dtm_problem, "20250206141356", True),
        (formats.dtm_problem, "20250206141356.123+0100", True),
        (formats.dtm_problem, "20250230", False),
        (formats.dtm_problem, "2025020", False),
        (formats.hash_problem, "E543712C0E10501972DE13A5BFCBE826C49FEB75", True),
        (formats.hash_problem, "e543712c0e10501972de13a5bfcbe826c49feb7g", False),
        (formats.size_problem, "36", True),
        (formats.size_problem, "0", False),
        (formats.size_problem, "3.5", False),
        (formats.mime_type_problem, "application/pdf", True),
        (formats.mime_type_problem, "text/plain; charset=UTF-8", True),
        (formats.mime_type_problem, "application/", False),
        (formats.language_code_problem, "nb-NO", True),
        (formats.language_code_problem, "en-us", True),
        (formats.language_code_problem, "nb_NO", False),
        (formats.cx_problem, FNR, True),
        (formats.cx_problem, "12838512311^^^&2.16.578.1.12.4.1.4.1&L", False),
        (formats.cx_problem, "12838512311^^^NS", False),
        (formats.cx_extra_components, FNR, True),
        (formats.cx_extra_components, "1^^^NS&1.2.3&ISO", False),
        (formats.cx_extra_components, "1^2^M11^&1.2.3&ISO", False),
        (formats.xcn_problem, "^Danser^Line", True),
        (formats.xcn_problem, "565501872^VITS^GRØNN^^^^^^&2.16.578.1.12.4.1.4.4&ISO", True),
        (formats.xcn_problem, "565501872^VITS", False),
        (formats.xon_problem, "Cleveland Clinic", True),
        (formats.xon_problem, "Some Hospital^^^^^^^^^1.2.3.4.5", True),  # identifier is an OID
        (formats.xon_problem, "OUS^^^^^&2.16.578.1.12.4.1.4.101&ISO^^^^993467049", True),
        (formats.xon_problem, "OUS^^^^^^^^^993467049", False),
        (formats.xtn_problem, "^^Internet^lege@example.org", True),
        (formats.xtn_problem, "^PRN^PH^^47^22^123456", True),
        (formats.xtn_problem, "^^Internet^", False),
        (formats.xtn_problem, "^WPN", False),
        (formats.reference_id_problem, "ref^^^&1.2.3&ISO^urn:ihe:iti:xds:2013:accession", True),
        (formats.reference_id_problem, "1.2.3.4^^^^urn:ihe:iti:xds:2013:uniqueId", True),
        (formats.reference_id_problem, "ref^^^&1.2.3&ISO", False),
        (formats.source_patient_info_problem, "PID-5|Danser^Line", True),
        (formats.source_patient_info_problem, f"PID-3|{FNR}", True),
        (formats.source_patient_info_problem, "PID-3|^^^&1.2.3&ISO", False),
        (formats.source_patient_info_problem, "PID-2|12838512311", False),
        (formats.source_patient_info_problem, "Danser^Line", False),
    ],
)
def test_value_checks(check: Callable[[str], str | None], value: str, fine: bool) -> None:
    problem = check(value)
    assert (problem is None) is fine, problem


def test_entry_uuids() -> None:
    good = "urn:uuid:aabbccdd-bdda-424e-8c96-df4873be8501"
    assert formats.entry_uuid_problem(good, symbolic_allowed=False) is None
    assert formats.entry_uuid_problem("Document01", symbolic_allowed=True) is None
    assert formats.entry_uuid_problem("Document01", symbolic_allowed=False)
    assert formats.entry_uuid_problem("urn:uuid:1234", symbolic_allowed=True)
    assert formats.is_uuid_reference(good)
    assert not formats.is_uuid_reference("SubmissionSet01")
