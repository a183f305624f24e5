"""The message template of every validation rule, keyed by rule id.

Templates are `str.format` strings; `{obj}` names the object (kind and id), the other fields are
given by the check that reports the rule. Kept apart from `rules` so both stay readable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

_FORMAT = "{obj}: {attribute} {value!r} "

TEMPLATES: Final[Mapping[str, str]] = {
    "submission.submission-set-count": (
        "A submission holds exactly one SubmissionSet; this one holds {count}"
    ),
    "submission.unsupported-object": "{obj} is not an XDS object: {reason}",
    "submission.duplicate-entry-uuid": (
        "entryUUID {id} is the id of {count} objects in this message"
    ),
    "submission.duplicate-unique-id": (
        "uniqueId {unique_id} belongs to more than one object: {objects}"
    ),
    "submission.patient-id-mismatch": (
        "{obj} is about patient {patient_id}, but the SubmissionSet is about {expected}"
    ),
    "object.entry-uuid.missing": "{obj} has no id",
    "object.entry-uuid.malformed": "{obj}: id {id!r} {reason}",
    "object.lid-mismatch": (
        "{obj} has lid {lid}, not its own id; only a metadata update (ITI-57) versions an object"
    ),
    "object.status-invalid": "{obj} has status {status!r}; {reason}",
    "object.reference-mismatch": (
        "{obj}: its {part} {part_id!r} names {target!r} as its object instead of {own_id!r}"
    ),
    "slot.duplicate": "{obj} has the slot {slot} {count} times",
    "slot.too-many-values": "{obj}: slot {slot} holds {count} values; it takes one",
    "slot.extra-metadata-name": (
        "{obj} has the slot {slot!r}, which XDS does not define for it; extra metadata slots "
        "need a urn: name"
    ),
    "external-identifier.duplicate": (
        "{obj} has {count} {attribute} ExternalIdentifiers; it takes one"
    ),
    "time.malformed": _FORMAT + "is not an HL7 DTM timestamp: {reason}",
    "oid.malformed": _FORMAT + "is not {reason}",
    "cx.malformed": _FORMAT
    + ("is not a CX identifier with an assigning authority (id^^^&OID&ISO): {reason}"),
    "cx.extra-components": _FORMAT + "holds more than an id and an assigning authority: {reason}",
    "xcn.malformed": _FORMAT + "is not an XCN person: {reason}",
    "xon.malformed": _FORMAT + "is not an XON organisation: {reason}",
    "xtn.malformed": _FORMAT + "is not an XTN telecom address: {reason}",
    "code.malformed": "{obj}: {attribute} classification {id!r} {reason}",
    "code.display-name.missing": "{obj}: {attribute} code {code!r} has no display name (rim:Name)",
    "code.too-many": "{obj} has {count} {attribute} codes; it takes one",
    "de.object-type": (
        "{obj} has objectType {object_type!r}, neither stable ({stable}) nor on-demand "
        "({on_demand})"
    ),
    "de.mime-type.missing": "{obj} has no mimeType",
    "de.mime-type.malformed": _FORMAT + "is not a type/subtype media type",
    "de.creation-time.missing": "{obj} has no creationTime slot",
    "de.language-code.missing": "{obj} has no languageCode slot",
    "de.language-code.malformed": _FORMAT + "is not a language tag such as nb-NO",
    "de.source-patient-id.missing": "{obj} has no sourcePatientId slot",
    "de.source-patient-info.malformed": _FORMAT + "{reason}",
    "de.repository-unique-id.missing": "{obj} has no repositoryUniqueId slot",
    "de.hash.missing": "{obj} has no hash slot",
    "de.size.missing": "{obj} has no size slot",
    "de.hash.malformed": _FORMAT + "is not a SHA-1 digest (40 hexadecimal digits)",
    "de.size.malformed": _FORMAT + "is not a positive integer",
    "de.on-demand.hash-or-size": (
        "{obj} is an on-demand DocumentEntry, whose content is not fixed, but has a {slot} slot"
    ),
    "de.service-time-order": "{obj}: serviceStartTime {start} is after serviceStopTime {stop}",
    "de.title.too-long": "{obj}: the title is {length} characters long; at most 128 are allowed",
    "de.unique-id.too-long": "{obj}: uniqueId is {length} characters long; at most 128 are allowed",
    "de.document-availability.invalid": _FORMAT + "is not {reason}",
    "de.reference-id.malformed": _FORMAT
    + ("is not a CXi reference id (id^^^&OID&ISO^type): {reason}"),
    "de.class-code.missing": "{obj} has no classCode",
    "de.type-code.missing": "{obj} has no typeCode",
    "de.format-code.missing": "{obj} has no formatCode",
    "de.healthcare-facility-type-code.missing": "{obj} has no healthcareFacilityTypeCode",
    "de.practice-setting-code.missing": "{obj} has no practiceSettingCode",
    "de.confidentiality-code.missing": "{obj} has no confidentialityCode",
    "de.patient-id.missing": "{obj} has no patientId",
    "de.unique-id.missing": "{obj} has no uniqueId",
    "author.empty": (
        "{obj}: author classification {id!r} names no authorPerson, authorInstitution or "
        "authorTelecommunication"
    ),
    "author.unknown-slot": (
        "{obj}: author classification {id!r} has the slot {slot!r}, which is not an author "
        "slot ({allowed})"
    ),
    "ss.submission-time.missing": "{obj} has no submissionTime slot",
    "ss.content-type-code.missing": "{obj} has no contentTypeCode",
    "ss.patient-id.missing": "{obj} has no patientId",
    "ss.unique-id.missing": "{obj} has no uniqueId",
    "ss.source-id.missing": "{obj} has no sourceId",
    "folder.name.missing": "{obj} has no name",
    "folder.code-list.missing": "{obj} has no codeList code",
    "folder.patient-id.missing": "{obj} has no patientId",
    "folder.unique-id.missing": "{obj} has no uniqueId",
    "association.type-unknown": "{obj} has associationType {type!r}, which XDS does not define",
    "association.endpoint-missing": "{obj} has no {attribute}",
    "association.unresolved": (
        "{obj}: {attribute} {ref!r} is neither an object in this message nor the urn:uuid of "
        "an object in the registry"
    ),
    "association.source-invalid": (
        "{obj}: a {type} association starts at {expected}; {source} is not"
    ),
    "association.submission-set-status": (
        "{obj}: a HasMember from the SubmissionSet to a DocumentEntry needs one "
        "SubmissionSetStatus, Original or Reference; it has {values}"
    ),
    "association.original-not-submitted": (
        "{obj} makes {target!r} an Original member of the SubmissionSet, but no DocumentEntry "
        "{target!r} is in this submission"
    ),
    "association.documentation-not-allowed": (
        "{obj}: a documentation classification belongs on RPLC, APND, XFRM or XFRM_RPLC "
        "associations, not on {type}"
    ),
    "association.update-only": (
        "{obj}: {type} associations belong in a metadata update (ITI-57), not in {transaction}"
    ),
    "association.status-change": (
        "{obj}: an UpdateAvailabilityStatus association needs one {slot} value, an "
        "availability status; it has {values}"
    ),
    "update.lid-missing": (
        "{obj} has no lid naming, as a urn:uuid, the object this update versions; it has {lid!r}"
    ),
    "update.previous-version": (
        "{obj}: the SubmissionSet's HasMember of the updated {target!r} needs one "
        "PreviousVersion value, a version number; it has {values}"
    ),
    "update.duplicate-lid": (
        "lid {lid} is updated by more than one object in one request: {objects}"
    ),
    "norway.patient-id": (
        "{obj}: patientId {value} is not a valid Norwegian national identity number: {reason}"
    ),
    "norway.patient-id-authority": (
        "{obj}: patientId {value} has assigning authority {authority!r}; the Norwegian "
        "profile identifies patients by fødselsnummer, D-nummer or H-nummer ({allowed})"
    ),
    "norway.synthetic-patient-id": (
        "{obj}: patientId {value} is a synthetic test number (month + 65 or + 80); this "
        "deployment accepts real national identity numbers only"
    ),
    "norway.class-code": (
        "{obj}: classCode {code!r} (codingScheme {scheme!r}) is not a Volven 9602 class code "
        "(level 1, such as A00-1)"
    ),
    "norway.type-code": "{obj}: typeCode {code!r} (codingScheme {scheme!r}) {reason}",
    "norway.confidentiality-code": (
        "{obj}: confidentialityCode {code!r} (codingScheme {scheme!r}) is neither a Volven "
        "9603 code nor an HL7 Confidentiality code (2.16.840.1.113883.5.25)"
    ),
    "norway.foreign-code-system": (
        "{obj}: {attribute} {code!r} uses codingScheme {scheme!r}; the Norwegian profile expects "
        "{expected}, so this code is not checked against Volven nor the document-type allow-list"
    ),
    "norway.document-type-not-allowed": (
        "{obj}: classCode {class_code!r} with typeCode {type_code!r} is not a document type "
        "kjernejournalforskriften § 4 lets this service share (allowed: {allowed})"
    ),
    "norway.hpr-number": _FORMAT
    + ("gives {number!r} as an HPR number, which is not one (an integer of up to 9 digits)"),
    "norway.organisation-number": _FORMAT
    + (
        "gives {number!r} as an Enhetsregisteret organisation number, which is not valid (9 "
        "digits with a mod-11 check digit)"
    ),
}
