"""`dokdeling run` gives its embedded deployment an audit key of its own, readable by its owner
only, that services and `dokdeling audit` commands find in the data folder."""

from __future__ import annotations

import stat

import pytest

from tests.support.deployment import Deployment
from trustframework.audit.settings import KEY_FILE_NAME, AuditSettings

pytestmark = pytest.mark.slow


def test_the_embedded_deployment_has_a_private_audit_key(deployment: Deployment) -> None:
    key_file = deployment.data_dir / KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    settings = AuditSettings.from_env({"DOKDELING_DATA_DIR": str(deployment.data_dir)})
    assert len(settings.keyring.current.key_id) == 16
