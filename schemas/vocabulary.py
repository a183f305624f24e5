"""Every name the XDS.b wire format uses: namespaces, SOAP actions, UUIDs, slot names, status URNs.

This module is the only place in the code base where these literals are spelled out (IHE ITI TF-3
Table 4.2.5-1, ebRS 3.0, ITI TF-2a/2b). Other modules import the constants, never retype them.
"""

from __future__ import annotations

from typing import Final

# --------------------------------------------------------------------------- namespaces
NS_RIM: Final = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"
NS_RS: Final = "urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0"
NS_LCM: Final = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"
NS_QUERY: Final = "urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0"
NS_XDSB: Final = "urn:ihe:iti:xds-b:2007"
NS_RMD: Final = "urn:ihe:iti:rmd:2017"
NS_SOAP12: Final = "http://www.w3.org/2003/05/soap-envelope"
NS_WSA: Final = "http://www.w3.org/2005/08/addressing"
NS_XOP: Final = "http://www.w3.org/2004/08/xop/include"
NS_XMIME: Final = "http://www.w3.org/2005/05/xmlmime"
NS_XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"
NS_WSSE: Final = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
# WSDL 1.1 (the `?wsdl` documents the services publish)
NS_WSDL: Final = "http://schemas.xmlsoap.org/wsdl/"
NS_WSDL_SOAP12: Final = "http://schemas.xmlsoap.org/wsdl/soap12/"
NS_WSAW: Final = "http://www.w3.org/2006/05/addressing/wsdl"
NS_XSD: Final = "http://www.w3.org/2001/XMLSchema"
SOAP_HTTP_TRANSPORT: Final = "http://schemas.xmlsoap.org/soap/http"
# ebXML RegRep 2.1: only read by the NIST test harness, which translates it to 3.0.
NS_RS21: Final = "urn:oasis:names:tc:ebxml-regrep:registry:xsd:2.1"
NS_RIM21: Final = "urn:oasis:names:tc:ebxml-regrep:rim:xsd:2.1"

NSMAP: Final[dict[str, str]] = {
    "rim": NS_RIM,
    "rs": NS_RS,
    "lcm": NS_LCM,
    "query": NS_QUERY,
    "xdsb": NS_XDSB,
    "rmd": NS_RMD,
    "soap": NS_SOAP12,
    "wsa": NS_WSA,
    "xop": NS_XOP,
}

# --------------------------------------------------------------------------- SOAP actions
ACTION_REGISTER: Final = "urn:ihe:iti:2007:RegisterDocumentSet-b"  # ITI-42
ACTION_PROVIDE_AND_REGISTER: Final = "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b"  # ITI-41
ACTION_STORED_QUERY: Final = "urn:ihe:iti:2007:RegistryStoredQuery"  # ITI-18
ACTION_RETRIEVE: Final = "urn:ihe:iti:2007:RetrieveDocumentSet"  # ITI-43
ACTION_MULTI_PATIENT_QUERY: Final = "urn:ihe:iti:2009:MultiPatientStoredQuery"  # ITI-51
ACTION_UPDATE: Final = "urn:ihe:iti:2010:UpdateDocumentSet"  # ITI-57
ACTION_DELETE: Final = "urn:ihe:iti:2010:DeleteDocumentSet"  # ITI-62
ACTION_REMOVE_DOCUMENTS: Final = "urn:ihe:iti:2017:RemoveDocuments"  # ITI-86
ACTION_RESTRICTED_UPDATE: Final = "urn:ihe:iti:2018:RestrictedUpdateDocumentSet"  # ITI-92
RESPONSE_ACTION_SUFFIX: Final = "Response"
ACTION_WSA_FAULT: Final = "http://www.w3.org/2005/08/addressing/soap/fault"
WSA_ANONYMOUS: Final = "http://www.w3.org/2005/08/addressing/anonymous"

# --------------------------------------------------------------------------- statuses
STATUS_APPROVED: Final = "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved"
STATUS_DEPRECATED: Final = "urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated"
STATUS_SUBMITTED: Final = "urn:oasis:names:tc:ebxml-regrep:StatusType:Submitted"

RESPONSE_SUCCESS: Final = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"
RESPONSE_FAILURE: Final = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure"
RESPONSE_PARTIAL_SUCCESS: Final = "urn:ihe:iti:2007:ResponseStatusType:PartialSuccess"

SEVERITY_ERROR: Final = "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"
SEVERITY_WARNING: Final = "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning"

RETURN_TYPE_LEAF_CLASS: Final = "LeafClass"
RETURN_TYPE_OBJECT_REF: Final = "ObjectRef"

# ebRS 3.0 RemoveObjectsRequest/@deletionScope (ITI-62 removes metadata: DeleteAll).
DELETION_SCOPE_DELETE_ALL: Final = "urn:oasis:names:tc:ebxml-regrep:DeletionScopeType:DeleteAll"

# --------------------------------------------------------------------------- object types
OBJECT_TYPE_STABLE_DOCUMENT: Final = "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1"
OBJECT_TYPE_ON_DEMAND_DOCUMENT: Final = "urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248"
OBJECT_TYPE_REGISTRY_PACKAGE: Final = (
    "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage"
)
OBJECT_TYPE_ASSOCIATION: Final = (
    "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Association"
)
OBJECT_TYPE_CLASSIFICATION: Final = (
    "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification"
)
OBJECT_TYPE_EXTERNAL_IDENTIFIER: Final = (
    "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:ExternalIdentifier"
)

# --------------------------------------------------------------------------- DocumentEntry
DE_AUTHOR: Final = "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d"
DE_CLASS_CODE: Final = "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a"
DE_CONFIDENTIALITY_CODE: Final = "urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f"
DE_EVENT_CODE: Final = "urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4"
DE_FORMAT_CODE: Final = "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d"
DE_HEALTHCARE_FACILITY_TYPE_CODE: Final = "urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1"
DE_PRACTICE_SETTING_CODE: Final = "urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead"
DE_TYPE_CODE: Final = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983"
DE_PATIENT_ID: Final = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427"
DE_UNIQUE_ID: Final = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab"
DE_LIMITED_METADATA: Final = "urn:uuid:ab9b591b-83ab-4d03-8f5d-f93b1fb92e85"

# --------------------------------------------------------------------------- SubmissionSet
SS_CLASSIFICATION_NODE: Final = "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd"
SS_AUTHOR: Final = "urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d"
SS_CONTENT_TYPE_CODE: Final = "urn:uuid:aa543740-bdda-424e-8c96-df4873be8500"
SS_PATIENT_ID: Final = "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446"
SS_SOURCE_ID: Final = "urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832"
SS_UNIQUE_ID: Final = "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8"
SS_LIMITED_METADATA: Final = "urn:uuid:5003a9db-8d8d-49e6-bf0c-990e34ac7707"

# --------------------------------------------------------------------------- Folder
FOLDER_CLASSIFICATION_NODE: Final = "urn:uuid:d9d542f3-6cc4-48b6-8870-ea235fbc94c2"
FOLDER_CODE_LIST: Final = "urn:uuid:1ba97051-7806-41a8-a48b-8fce7af683c5"
FOLDER_PATIENT_ID: Final = "urn:uuid:f64ffdf0-4b97-4e06-b79f-a52b38ec2f8a"
FOLDER_UNIQUE_ID: Final = "urn:uuid:75df8f67-9973-4fbe-a900-df66cefecc5a"
FOLDER_LIMITED_METADATA: Final = "urn:uuid:2c144a76-29a9-4b7c-af54-b25409fe7d03"

# ExternalIdentifier Names (ITI TF-3 4.2.3.x): the `rim:Name` each patientId/uniqueId/sourceId
# ExternalIdentifier carries.
NAME_DE_PATIENT_ID: Final = "XDSDocumentEntry.patientId"
NAME_DE_UNIQUE_ID: Final = "XDSDocumentEntry.uniqueId"
NAME_SS_PATIENT_ID: Final = "XDSSubmissionSet.patientId"
NAME_SS_SOURCE_ID: Final = "XDSSubmissionSet.sourceId"
NAME_SS_UNIQUE_ID: Final = "XDSSubmissionSet.uniqueId"
NAME_FOLDER_PATIENT_ID: Final = "XDSFolder.patientId"
NAME_FOLDER_UNIQUE_ID: Final = "XDSFolder.uniqueId"

# --------------------------------------------------------------------------- Association
ASSOCIATION_DOCUMENTATION: Final = "urn:uuid:abd807a3-4432-4053-87b4-fd82c643d1f3"

ASSOC_HAS_MEMBER: Final = "urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember"
ASSOC_REPLACE: Final = "urn:ihe:iti:2007:AssociationType:RPLC"
ASSOC_APPEND: Final = "urn:ihe:iti:2007:AssociationType:APND"
ASSOC_TRANSFORM: Final = "urn:ihe:iti:2007:AssociationType:XFRM"
ASSOC_TRANSFORM_REPLACE: Final = "urn:ihe:iti:2007:AssociationType:XFRM_RPLC"
ASSOC_SIGNS: Final = "urn:ihe:iti:2007:AssociationType:signs"
ASSOC_SNAPSHOT_OF: Final = "urn:ihe:iti:2010:AssociationType:IsSnapshotOf"
ASSOC_UPDATE_AVAILABILITY_STATUS: Final = (
    "urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus"
)
ASSOC_SUBMIT_ASSOCIATION: Final = "urn:ihe:iti:2010:AssociationType:SubmitAssociation"

# --------------------------------------------------------------------------- slot names
SLOT_CREATION_TIME: Final = "creationTime"
SLOT_HASH: Final = "hash"
SLOT_SIZE: Final = "size"
SLOT_LANGUAGE_CODE: Final = "languageCode"
SLOT_LEGAL_AUTHENTICATOR: Final = "legalAuthenticator"
SLOT_REPOSITORY_UNIQUE_ID: Final = "repositoryUniqueId"
SLOT_SERVICE_START_TIME: Final = "serviceStartTime"
SLOT_SERVICE_STOP_TIME: Final = "serviceStopTime"
SLOT_SOURCE_PATIENT_ID: Final = "sourcePatientId"
SLOT_SOURCE_PATIENT_INFO: Final = "sourcePatientInfo"
SLOT_URI: Final = "URI"
SLOT_REFERENCE_ID_LIST: Final = "urn:ihe:iti:xds:2013:referenceIdList"
SLOT_DOCUMENT_AVAILABILITY: Final = "documentAvailability"  # values: DOCUMENT_AVAILABILITY_*
SLOT_SUBMISSION_TIME: Final = "submissionTime"
SLOT_INTENDED_RECIPIENT: Final = "intendedRecipient"
SLOT_LAST_UPDATE_TIME: Final = "lastUpdateTime"
SLOT_AUTHOR_PERSON: Final = "authorPerson"
SLOT_AUTHOR_INSTITUTION: Final = "authorInstitution"
SLOT_AUTHOR_ROLE: Final = "authorRole"
SLOT_AUTHOR_SPECIALTY: Final = "authorSpecialty"
SLOT_AUTHOR_TELECOMMUNICATION: Final = "authorTelecommunication"
SLOT_CODING_SCHEME: Final = "codingScheme"
SLOT_SUBMISSION_SET_STATUS: Final = "SubmissionSetStatus"
SLOT_PREVIOUS_VERSION: Final = "PreviousVersion"
SLOT_ORIGINAL_STATUS: Final = "OriginalStatus"
SLOT_NEW_STATUS: Final = "NewStatus"
SLOT_ASSOCIATION_PROPAGATION: Final = "AssociationPropagation"

SUBMISSION_SET_STATUS_ORIGINAL: Final = "Original"
SUBMISSION_SET_STATUS_REFERENCE: Final = "Reference"

DOCUMENT_AVAILABILITY_ONLINE: Final = "urn:ihe:iti:2010:DocumentAvailability:Online"
DOCUMENT_AVAILABILITY_OFFLINE: Final = "urn:ihe:iti:2010:DocumentAvailability:Offline"

# Slots XDS itself defines, per object kind. Any other name is "extra metadata" (ITI TF-3 4.1.14):
# a `urn:` name is stored and returned, anything else is rejected.
DOCUMENT_ENTRY_SLOTS: Final = frozenset(
    {
        SLOT_CREATION_TIME,
        SLOT_HASH,
        SLOT_SIZE,
        SLOT_LANGUAGE_CODE,
        SLOT_LEGAL_AUTHENTICATOR,
        SLOT_REPOSITORY_UNIQUE_ID,
        SLOT_SERVICE_START_TIME,
        SLOT_SERVICE_STOP_TIME,
        SLOT_SOURCE_PATIENT_ID,
        SLOT_SOURCE_PATIENT_INFO,
        SLOT_URI,
        SLOT_REFERENCE_ID_LIST,
        SLOT_DOCUMENT_AVAILABILITY,
    }
)
SUBMISSION_SET_SLOTS: Final = frozenset({SLOT_SUBMISSION_TIME, SLOT_INTENDED_RECIPIENT})
FOLDER_SLOTS: Final = frozenset({SLOT_LAST_UPDATE_TIME})
AUTHOR_SLOTS: Final = frozenset(
    {
        SLOT_AUTHOR_PERSON,
        SLOT_AUTHOR_INSTITUTION,
        SLOT_AUTHOR_ROLE,
        SLOT_AUTHOR_SPECIALTY,
        SLOT_AUTHOR_TELECOMMUNICATION,
    }
)
ASSOCIATION_SLOTS: Final = frozenset(
    {
        SLOT_SUBMISSION_SET_STATUS,
        SLOT_PREVIOUS_VERSION,
        SLOT_ORIGINAL_STATUS,
        SLOT_NEW_STATUS,
        SLOT_ASSOCIATION_PROPAGATION,
    }
)

# ------------------------------------------------------------ stored queries (ITI-18, ITI-51)
QUERY_FIND_DOCUMENTS: Final = "urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d"
QUERY_FIND_DOCUMENTS_BY_REFERENCE_ID: Final = "urn:uuid:12941a89-e02e-4be5-967c-ce4bfc8fe492"
QUERY_FIND_SUBMISSION_SETS: Final = "urn:uuid:f26abbcb-ac74-4422-8a30-edb644bbc1a9"
QUERY_FIND_FOLDERS: Final = "urn:uuid:958f3006-baad-4929-a4de-ff1114824431"
QUERY_GET_ALL: Final = "urn:uuid:10b545ea-725c-446d-9b95-8aeb444eddf3"
QUERY_GET_DOCUMENTS: Final = "urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4"
QUERY_GET_FOLDERS: Final = "urn:uuid:5737b14c-8a1a-4539-b659-e03a34a5e1e4"
QUERY_GET_ASSOCIATIONS: Final = "urn:uuid:a7ae438b-4bc2-4642-93e9-be891f7bb155"
QUERY_GET_DOCUMENTS_AND_ASSOCIATIONS: Final = "urn:uuid:bab9529a-4a10-40b3-a01f-f68a615d247a"
QUERY_GET_SUBMISSION_SETS: Final = "urn:uuid:51224314-5390-4169-9b91-b1980040715a"
QUERY_GET_SUBMISSION_SET_AND_CONTENTS: Final = "urn:uuid:e8e3cb2c-e39c-46b9-99e4-c12f57260b83"
QUERY_GET_FOLDER_AND_CONTENTS: Final = "urn:uuid:b909a503-523d-4517-8acf-8e5834dfc4c7"
QUERY_GET_FOLDERS_FOR_DOCUMENT: Final = "urn:uuid:10cae35a-c7f9-4cf5-b61e-fc3278ffb578"
QUERY_GET_RELATED_DOCUMENTS: Final = "urn:uuid:d90e5407-b356-4d91-a89f-873917b4b0e6"
QUERY_FIND_DOCUMENTS_FOR_MULTIPLE_PATIENTS: Final = "urn:uuid:3d1bdb10-39a2-11de-89c2-2f44d94eaa9f"
QUERY_FIND_FOLDERS_FOR_MULTIPLE_PATIENTS: Final = "urn:uuid:50d3f5ac-39a2-11de-a1ca-b366239e58df"

# Stored-query parameter names (ITI TF-2a 3.18.4.1.2.3.7, ITI TF-2b 3.51.4.1.2).
PARAM_DE_PATIENT_ID: Final = "$XDSDocumentEntryPatientId"
PARAM_DE_STATUS: Final = "$XDSDocumentEntryStatus"
PARAM_DE_TYPE: Final = "$XDSDocumentEntryType"
PARAM_DE_CLASS_CODE: Final = "$XDSDocumentEntryClassCode"
PARAM_DE_TYPE_CODE: Final = "$XDSDocumentEntryTypeCode"
PARAM_DE_PRACTICE_SETTING_CODE: Final = "$XDSDocumentEntryPracticeSettingCode"
PARAM_DE_HEALTHCARE_FACILITY_TYPE_CODE: Final = "$XDSDocumentEntryHealthcareFacilityTypeCode"
PARAM_DE_EVENT_CODE_LIST: Final = "$XDSDocumentEntryEventCodeList"
PARAM_DE_CONFIDENTIALITY_CODE: Final = "$XDSDocumentEntryConfidentialityCode"
PARAM_DE_FORMAT_CODE: Final = "$XDSDocumentEntryFormatCode"
PARAM_DE_CREATION_TIME_FROM: Final = "$XDSDocumentEntryCreationTimeFrom"
PARAM_DE_CREATION_TIME_TO: Final = "$XDSDocumentEntryCreationTimeTo"
PARAM_DE_SERVICE_START_TIME_FROM: Final = "$XDSDocumentEntryServiceStartTimeFrom"
PARAM_DE_SERVICE_START_TIME_TO: Final = "$XDSDocumentEntryServiceStartTimeTo"
PARAM_DE_SERVICE_STOP_TIME_FROM: Final = "$XDSDocumentEntryServiceStopTimeFrom"
PARAM_DE_SERVICE_STOP_TIME_TO: Final = "$XDSDocumentEntryServiceStopTimeTo"
PARAM_DE_AUTHOR_PERSON: Final = "$XDSDocumentEntryAuthorPerson"
PARAM_DE_REFERENCE_ID_LIST: Final = "$XDSDocumentEntryReferenceIdList"
PARAM_DE_ENTRY_UUID: Final = "$XDSDocumentEntryEntryUUID"
PARAM_DE_UNIQUE_ID: Final = "$XDSDocumentEntryUniqueId"
PARAM_DE_LOGICAL_ID: Final = "$XDSDocumentEntryLogicalID"
PARAM_SS_PATIENT_ID: Final = "$XDSSubmissionSetPatientId"
PARAM_SS_STATUS: Final = "$XDSSubmissionSetStatus"
PARAM_SS_SOURCE_ID: Final = "$XDSSubmissionSetSourceId"
PARAM_SS_SUBMISSION_TIME_FROM: Final = "$XDSSubmissionSetSubmissionTimeFrom"
PARAM_SS_SUBMISSION_TIME_TO: Final = "$XDSSubmissionSetSubmissionTimeTo"
PARAM_SS_AUTHOR_PERSON: Final = "$XDSSubmissionSetAuthorPerson"
PARAM_SS_CONTENT_TYPE: Final = "$XDSSubmissionSetContentType"
PARAM_SS_ENTRY_UUID: Final = "$XDSSubmissionSetEntryUUID"
PARAM_SS_UNIQUE_ID: Final = "$XDSSubmissionSetUniqueId"
PARAM_FOLDER_PATIENT_ID: Final = "$XDSFolderPatientId"
PARAM_FOLDER_STATUS: Final = "$XDSFolderStatus"
PARAM_FOLDER_LAST_UPDATE_TIME_FROM: Final = "$XDSFolderLastUpdateTimeFrom"
PARAM_FOLDER_LAST_UPDATE_TIME_TO: Final = "$XDSFolderLastUpdateTimeTo"
PARAM_FOLDER_CODE_LIST: Final = "$XDSFolderCodeList"
PARAM_FOLDER_ENTRY_UUID: Final = "$XDSFolderEntryUUID"
PARAM_FOLDER_UNIQUE_ID: Final = "$XDSFolderUniqueId"
PARAM_FOLDER_LOGICAL_ID: Final = "$XDSFolderLogicalID"
PARAM_PATIENT_ID: Final = "$patientId"
PARAM_UUID: Final = "$uuid"
PARAM_ASSOCIATION_TYPES: Final = "$AssociationTypes"
PARAM_HOME_COMMUNITY_ID: Final = "$homeCommunityId"
PARAM_METADATA_LEVEL: Final = "$MetadataLevel"

# --------------------------------------------------------------------------- misc
UUID_PREFIX: Final = "urn:uuid:"
OID_PREFIX: Final = "urn:oid:"
HL7_ISO: Final = "ISO"
