"""Audit records as FHIR R4 AuditEvent (JSON) and DICOM PS3.15 A.5 audit messages (XML)."""
