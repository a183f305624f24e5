"""A Flask app mounting the audit views as the services do, with real tokens and seeded records:
patients' documents controlled by Oslo universitetssykehus and Helse Bergen, read by a GP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from servicekit.database import create_database_engine
from tests.support.audit import HELSE_BERGEN, OUS, document, read_event
from tests.support.jose import TestIssuer, make_authenticator
from tests.support.people import OTHER_PATIENT, PATIENT, synthetic_fnr
from trustframework.audit.record import Outcome
from trustframework.audit.sealing import AuditKey
from trustframework.audit.service import ServiceAudit, init_audit
from trustframework.audit.settings import AuditSettings
from trustframework.audit.storage.tables import add_audit_tables
from trustframework.audit.views import audit_blueprint
from trustframework.context import CLAIM_HPR_NUMBER, CLAIM_ORGNR_PARENT
from trustframework.policy import Transaction
from trustframework.settings import TrustSettings

AUDITOR = synthetic_fnr(date(1968, 2, 3))
OPERATOR_ORGANISATION = "987654321"


@dataclass
class AuditApp:
    app: Flask
    audit: ServiceAudit
    issuer: TestIssuer

    def token(self, pid: str, *scopes: str, **claims: Any) -> str:
        return self.issuer.sign(self.issuer.person_claims(pid, scope=list(scopes), **claims))

    def auditor_token(self, organisation: str = OUS.id) -> str:
        return self.token(AUDITOR, "dokdeling/audit", **{CLAIM_ORGNR_PARENT: organisation})

    def citizen_token(self, pid: str = PATIENT) -> str:
        return self.token(pid, "dokdeling/citizen")

    def practitioner_token(self) -> str:
        claims = {CLAIM_ORGNR_PARENT: OUS.id, CLAIM_HPR_NUMBER: "9144900"}
        return self.token(AUDITOR, "dokdeling/read-document", **claims)


def seed(audit: ServiceAudit) -> None:
    """Reads of PATIENT's documents at OUS and Helse Bergen, one of OTHER_PATIENT's at OUS,
    a break-the-glass query and a refused read."""
    write = audit.writer.write
    write(read_event(documents=(document("1.1.1", OUS), document("2.1.1", HELSE_BERGEN))))
    write(read_event(documents=(document("1.1.2", OUS),), patient=OTHER_PATIENT))
    write(
        read_event(
            transaction=Transaction.STORED_QUERY, purpose="BTG", documents=(document("1.1.3", OUS),)
        )
    )
    write(
        read_event(
            documents=(document("1.1.4", OUS),),
            outcome=Outcome.denied("practitioner_blocked_by_patient"),
        )
    )


def create_audit_app(folder: Path) -> AuditApp:
    issuer = TestIssuer(folder)
    settings = AuditSettings.from_env(
        {
            "DOKDELING_DATA_DIR": str(folder),
            "DOKDELING_AUDIT_KEY": AuditKey.generate().to_base64(),
            "DOKDELING_AUDIT_OPERATOR_ORGANISATION": OPERATOR_ORGANISATION,
        }
    )
    engine = create_database_engine(f"sqlite:///{folder / 'registry.sqlite'}")
    metadata = sa.MetaData()
    tables = add_audit_tables(metadata, "registry")
    metadata.create_all(engine)
    audit = ServiceAudit.create(
        service="registry",
        engine=engine,
        tables=tables,
        settings=settings,
        site="urn:oid:2.16.578.1.12.4.1.7.1.1",
    )
    authenticator = make_authenticator(issuer)
    app = Flask("audit-views-test")
    init_audit(app, audit)
    app.register_blueprint(
        audit_blueprint(audit=audit, authenticator=authenticator, trust=authenticator.settings)
    )
    seed(audit)
    return AuditApp(app=app, audit=audit, issuer=issuer)


__all__ = ["AUDITOR", "OPERATOR_ORGANISATION", "AuditApp", "TrustSettings", "create_audit_app"]
