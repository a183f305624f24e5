"""Audit events and stores for tests: real attests, real keys, real databases."""

from __future__ import annotations

import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from servicekit.database import create_database_engine
from tests.support.attests import attest_claim
from tests.support.people import PATIENT
from trustframework import codes
from trustframework.attest import parse_attest
from trustframework.audit.record import (
    AuditEvent,
    Caller,
    Outcome,
    Party,
    PatientRef,
    TouchedDocument,
)
from trustframework.audit.sealing import AuditKey, AuditKeyring
from trustframework.audit.storage.sql_store import SqlAuditStore
from trustframework.audit.storage.tables import AuditTables, add_audit_tables
from trustframework.policy import Transaction

SERVICE = "registry"
REPOSITORY_ID = "2.16.578.1.12.4.6.1.2"
OUS = Party(id="993467049", name="OSLO UNIVERSITETSSYKEHUS HF")
HELSE_BERGEN = Party(id="983974724", name="HELSE BERGEN HF")
CLIENT_ORGANISATION = "981275721"


def keyring() -> AuditKeyring:
    return AuditKeyring(AuditKey.generate())


def document(unique_id: str, controller: Party | None = OUS) -> TouchedDocument:
    return TouchedDocument(
        unique_id=unique_id, repository_id=REPOSITORY_ID, data_controller=controller
    )


def read_event(
    *,
    documents: tuple[TouchedDocument, ...] = (),
    patient: str = PATIENT,
    purpose: str = "TREAT",
    transaction: Transaction = Transaction.RETRIEVE,
    outcome: Outcome | None = None,
    request_id: str = "req-1",
) -> AuditEvent:
    """A practitioner's read of `patient`'s documents under a full attest."""
    attest = parse_attest(attest_claim(toa=int(time.time()), patient=patient, purpose=purpose))
    return AuditEvent(
        transaction=transaction,
        outcome=outcome or Outcome.permitted("personnel_read"),
        caller=Caller(client_id="epj-client", organisation=CLIENT_ORGANISATION, token_id="jti-1"),
        attest=attest,
        patient=PatientRef(id=patient, authority=codes.FODSELSNUMMER),
        documents=documents,
        request_id=request_id,
        legal_basis="helsepersonelloven-45",
    )


def create_tables(engine: Engine, service: str = SERVICE) -> AuditTables:
    metadata = sa.MetaData()
    tables = add_audit_tables(metadata, service)
    metadata.create_all(engine)
    return tables


def sqlite_engine(folder: Path, name: str = "audit.sqlite") -> Engine:
    return create_database_engine(f"sqlite:///{folder / name}")


def sql_store(engine: Engine, ring: AuditKeyring, service: str = SERVICE) -> SqlAuditStore:
    return SqlAuditStore(engine, create_tables(engine, service), ring)
