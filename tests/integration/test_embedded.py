"""The same flow on the embedded defaults (`dokdeling run`: SQLite, file storage, the SQLite
broker, its development issuer): publish → list → read → audit across its processes."""

from __future__ import annotations

import subprocess
import sys

from dokdeling.client import XdsClient
from dokdeling.tokens import DevIssuerTokens
from schemas.errors import ResponseStatus
from tests.integration.flows import (
    audited_transactions,
    check_listed_and_readable,
    new_submission,
    publish,
)
from tests.support.deployment import Deployment, deployment_environment


def test_publish_list_read_and_audit_on_the_embedded_defaults(deployment: Deployment) -> None:
    environ = deployment_environment({"DOKDELING_DATA_DIR": str(deployment.data_dir)})
    tokens = DevIssuerTokens.for_deployment(deployment.data_dir, environ)
    client = XdsClient(registry=deployment.registry_url, repository=deployment.repository_url)
    submission = new_submission(3)

    response = publish(client, tokens, submission)

    assert response.status is ResponseStatus.SUCCESS, response.errors
    check_listed_and_readable(client, tokens, submission)
    auditor = tokens.auditor(submission.organisation.number)
    patient = submission.patient.national_id
    assert {"ITI-42", "ITI-18"} <= set(
        audited_transactions(deployment.registry_url, auditor, patient)
    )
    assert {"ITI-41", "ITI-43"} <= set(
        audited_transactions(deployment.repository_url, auditor, patient)
    )
    for service in ("registry", "repository"):
        verify = subprocess.run(
            [sys.executable, "-m", "dokdeling", "audit", "verify", "--service", service],
            env=environ,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert verify.returncode == 0, verify.stdout + verify.stderr
