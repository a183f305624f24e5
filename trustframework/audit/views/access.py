"""Who may look at the audit, and the record of every look (allowed or refused).

Each view authenticates the request (`Authenticator.authenticate`), asks the access policy
(`decide`, transaction `audit-view` or `citizen-access-log`) and writes its own audit record before
the response leaves. When that record cannot be written, the view answers 503 and shows nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Request

from schemas.model import Cx
from trustframework.audit.events import access_event, outcome_of
from trustframework.audit.record import Outcome, Party
from trustframework.audit.service import ServiceAudit
from trustframework.audit.writer import AuditWriteFailed
from trustframework.context import AccessContext
from trustframework.failures import AccessFailure, Reason
from trustframework.policy import Deny, RequestFacts, Transaction, decide
from trustframework.settings import TrustSettings
from trustframework.tokens import Authenticator

REQUEST_ID_HEADER = "X-Request-ID"


class AuditUnavailable(Exception):
    """The view's own audit record could not be written."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Gate:
    """What every audit view needs: the audit, the token check, the policy and a clock."""

    audit: ServiceAudit
    authenticator: Authenticator
    trust: TrustSettings
    clock: Callable[[], datetime]

    def admit(self, request: Request, transaction: Transaction) -> AccessContext | AccessFailure:
        """The verified caller allowed `transaction`, or the failure to answer with (recorded)."""
        access = self.authenticator.authenticate(request.method, request.url, request.headers)
        if isinstance(access, AccessFailure):
            self.record(request, transaction, access, outcome_of(access))
            return access
        decision = decide(
            access, RequestFacts(transaction=transaction, now=self.clock()), settings=self.trust
        )
        if isinstance(decision, Deny):
            self.record(request, transaction, access, outcome_of(decision))
            return decision.failure()
        return access

    def record(
        self,
        request: Request,
        transaction: Transaction,
        access: AccessContext | AccessFailure,
        outcome: Outcome,
        *,
        patient: Cx | None = None,
        data_controller: str | None = None,
    ) -> None:
        """Write the record of this look; AuditUnavailable when it cannot be written."""
        event = access_event(
            transaction=transaction,
            access=access,
            outcome=outcome,
            patient=patient,
            request_id=request.headers.get(REQUEST_ID_HEADER) or str(uuid.uuid4()),
            data_controller=Party(id=data_controller) if data_controller else None,
        )
        try:
            self.audit.writer.write(event)
        except AuditWriteFailed as error:
            raise AuditUnavailable(str(error)) from error


def organisation_missing() -> AccessFailure:
    return AccessFailure(
        reason=Reason.NO_RULE_APPLIES,
        detail="an auditor's token must name its organisation (orgnr_parent)",
    )
