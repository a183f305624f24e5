"""Refusals and error answers of the audit views, and the security headers of every answer."""

from __future__ import annotations

import json
from typing import Final

from flask import Response, render_template

from trustframework.failures import AccessFailure

REALM: Final = "dokdeling"
SECURITY_HEADERS: Final = {
    # No script at all (the pages work without JavaScript), styles only from this service.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def secured(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _challenge(response: Response, failure: AccessFailure | None) -> Response:
    challenge = failure.www_authenticate(REALM) if failure is not None else None
    if challenge is not None:
        response.headers["WWW-Authenticate"] = challenge
    return response


_TITLES: Final = {
    400: "Ugyldig søk",
    401: "Innlogging kreves",
    403: "Ingen tilgang",
    404: "Ikke funnet",
    503: "Revisjonsloggen er utilgjengelig",
}


def html_refusal(
    failure: AccessFailure | None, *, status: int | None = None, message: str | None = None
) -> Response:
    """An error page; for an access failure its status, reason and challenge."""
    code = status or (failure.status if failure is not None else 500)
    body = render_template(
        "audit/error.html",
        status=code,
        title=_TITLES.get(code, "Feil"),
        reason=failure.reason.value if failure is not None else None,
        message=message or (failure.detail if failure is not None else None),
    )
    return _challenge(Response(body, status=code, mimetype="text/html"), failure)


def operation_outcome(
    status: int, code: str, diagnostics: str, failure: AccessFailure | None = None
) -> Response:
    """A FHIR OperationOutcome for the FHIR API."""
    issue_code = {400: "invalid", 401: "login", 403: "forbidden"}.get(status, "exception")
    body = {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "error",
                "code": issue_code,
                "details": {"text": code},
                "diagnostics": diagnostics,
            }
        ],
    }
    response = Response(json.dumps(body), status=status, mimetype="application/fhir+json")
    return _challenge(response, failure)


def json_refusal(
    status: int, error: str, description: str, failure: AccessFailure | None = None
) -> Response:
    body = json.dumps({"error": error, "error_description": description})
    return _challenge(Response(body, status=status, mimetype="application/json"), failure)
