"""The auditor's pages in headless Chromium with JavaScript off: filter by patient, open a
record; another organisation's auditor sees none of it; the citizen's JSON names no national id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, expect
from werkzeug.serving import make_server

from tests.support.audit import HELSE_BERGEN
from tests.support.audit_app import AuditApp, create_audit_app
from tests.support.audit_receivers import serving_in_thread
from tests.support.people import GP, OTHER_PATIENT, PATIENT

pytestmark = pytest.mark.browser


@pytest.fixture
def audit_app(tmp_path: Path) -> AuditApp:
    return create_audit_app(tmp_path)


@pytest.fixture
def base_url(audit_app: AuditApp) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, audit_app.app, threaded=True)
    with serving_in_thread(server):
        yield f"http://127.0.0.1:{server.server_port}"


def _context(browser: Browser, token: str) -> BrowserContext:
    return browser.new_context(
        java_script_enabled=False, extra_http_headers={"Authorization": f"Bearer {token}"}
    )


def test_an_auditor_filters_by_patient_and_opens_a_record(
    chromium_browser: Browser, audit_app: AuditApp, base_url: str
) -> None:
    context = _context(chromium_browser, audit_app.auditor_token())
    page = context.new_page()
    stylesheets: list[int] = []
    page.on("response", lambda r: stylesheets.append(r.status) if r.url.endswith(".css") else None)
    page.goto(f"{base_url}/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Revisjonslogg for registry")
    page.get_by_label("Pasient (fødselsnummer eller CX)").fill(OTHER_PATIENT)
    page.get_by_role("button", name="Søk").click()
    page.wait_for_url(lambda url: f"patient={OTHER_PATIENT}" in url)
    table = page.get_by_role("table")
    expect(table).to_contain_text("1.1.2")
    expect(table).not_to_contain_text("1.1.1")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dokument hentet (ITI-43)")
    expect(page.locator("pre.attest")).to_contain_text(GP)
    expect(page.locator("dl.record")).to_contain_text("OSLO UNIVERSITETSSYKEHUS HF")
    detail_url = page.url
    assert stylesheets
    assert set(stylesheets) <= {200, 304}
    context.close()

    other = _context(chromium_browser, audit_app.auditor_token(HELSE_BERGEN.id)).new_page()
    other.goto(f"{base_url}/audit/?patient={OTHER_PATIENT}")
    expect(other.get_by_role("table")).to_contain_text("Ingen hendelser passer søket")
    response = other.goto(detail_url)
    assert response is not None
    assert response.status == 404
    expect(other.get_by_role("heading", level=1)).to_have_text("Ikke funnet")
    other.context.close()


def test_the_citizen_log_in_the_browser_has_no_national_id(
    chromium_browser: Browser, audit_app: AuditApp, base_url: str
) -> None:
    context = _context(chromium_browser, audit_app.citizen_token(PATIENT))
    response = context.new_page().goto(f"{base_url}/citizen/api/access-log")
    assert response is not None
    assert response.status == 200
    body = response.text()
    assert '"entries"' in body
    assert "Magnar Koman" in body
    assert GP not in body
    context.close()
