"""The audit's Flask blueprint: `/audit/` (auditors, HTML), `/audit/api/events` (FHIR),
`/audit/export`, `/citizen/api/access-log` (the citizen's JSON). Server-rendered Jinja templates
(package data), no JavaScript, and a strict Content-Security-Policy.

    app.register_blueprint(audit_blueprint(audit=audit, authenticator=authenticator, trust=trust))
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Blueprint, Response, request

from trustframework.audit.record import utc_now
from trustframework.audit.service import ServiceAudit
from trustframework.audit.views import auditor, citizen
from trustframework.audit.views.access import AuditUnavailable, Gate
from trustframework.audit.views.responses import html_refusal, json_refusal, secured
from trustframework.settings import TrustSettings
from trustframework.tokens import Authenticator


def _unavailable(error: AuditUnavailable) -> Response:
    message = "Oppslaget kunne ikke revisjonslogges, og vises derfor ikke."
    if request.path.startswith("/audit/") and not request.path.startswith("/audit/api/"):
        return html_refusal(None, status=503, message=message)
    return json_refusal(503, "audit_unavailable", str(error))


def audit_blueprint(
    *,
    audit: ServiceAudit,
    authenticator: Authenticator,
    trust: TrustSettings,
    clock: Callable[[], datetime] = utc_now,
) -> Blueprint:
    """The views of `audit`, authenticated by `authenticator` and decided by the policy."""
    blueprint = Blueprint(
        "audit",
        __name__,
        template_folder="../templates",
        static_folder="../static",
        static_url_path="/audit/static",
    )
    gate = Gate(audit=audit, authenticator=authenticator, trust=trust, clock=clock)
    auditor.register(blueprint, gate)
    citizen.register(blueprint, gate)
    blueprint.register_error_handler(AuditUnavailable, _unavailable)
    blueprint.after_request(secured)
    return blueprint
