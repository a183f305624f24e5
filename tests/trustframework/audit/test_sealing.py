"""The attest is encrypted at rest: it opens with the right key and record, and only then."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.audit import document, keyring, read_event, sql_store, sqlite_engine
from tests.support.people import GP
from trustframework.audit.record import SealedAttest
from trustframework.audit.sealing import AuditKey, AuditKeyError, AuditKeyring
from trustframework.audit.store import verify_store
from trustframework.audit.writer import AuditWriter


def test_the_sealed_attest_opens_to_the_whole_claim(tmp_path: Path) -> None:
    ring = keyring()
    store = sql_store(sqlite_engine(tmp_path), ring)
    event = read_event(documents=(document("1.2.3"),))
    (written,) = AuditWriter(store, ring).write(event)
    stored = store.find(written.entry.record_id)
    assert stored is not None
    content = ring.unseal(store.service, stored.entry.record_id, stored.entry.sealed)
    assert event.attest is not None
    assert content["attest"] == event.attest.to_claim()
    assert content["attest"]["practitioner"]["identifier"]["id"] == GP
    assert GP.encode() not in stored.entry.sealed.ciphertext


def test_no_national_id_of_the_practitioner_is_stored_in_clear(tmp_path: Path) -> None:
    ring = keyring()
    engine = sqlite_engine(tmp_path)
    store = sql_store(engine, ring)
    AuditWriter(store, ring).write(read_event(documents=(document("1.2.3"),)))
    engine.dispose()
    assert GP.encode() not in (tmp_path / "audit.sqlite").read_bytes()


def test_a_wrong_key_does_not_open_it() -> None:
    sealed = keyring().seal("registry", "id-1", {"attest": None})
    with pytest.raises(AuditKeyError, match="not configured"):
        keyring().unseal("registry", "id-1", sealed)


def test_the_same_key_under_another_record_identity_does_not_open_it() -> None:
    ring = keyring()
    sealed = ring.seal("registry", "id-1", {"attest": None})
    with pytest.raises(AuditKeyError, match="does not open"):
        ring.unseal("registry", "id-2", sealed)
    with pytest.raises(AuditKeyError, match="does not open"):
        ring.unseal("repository", "id-1", sealed)


def test_a_changed_ciphertext_does_not_open() -> None:
    ring = keyring()
    sealed = ring.seal("registry", "id-1", {"attest": None})
    forged = SealedAttest(
        key_id=sealed.key_id, nonce=sealed.nonce, ciphertext=bytes(len(sealed.ciphertext))
    )
    with pytest.raises(AuditKeyError, match="does not open"):
        ring.unseal("registry", "id-1", forged)


def test_every_record_has_its_own_nonce() -> None:
    ring = keyring()
    nonces = {ring.seal("registry", f"id-{n}", {}).nonce for n in range(50)}
    assert len(nonces) == 50


def test_after_rotation_old_records_open_and_the_chain_verifies(tmp_path: Path) -> None:
    old = AuditKey.generate()
    engine = sqlite_engine(tmp_path)
    old_ring = AuditKeyring(old)
    store = sql_store(engine, old_ring)
    AuditWriter(store, old_ring).write(read_event(documents=(document("1.2.3"),)))
    new_ring = AuditKeyring(AuditKey.generate(), previous=[old])
    rotated = sql_store(engine, new_ring)
    AuditWriter(rotated, new_ring).write(read_event(documents=(document("1.2.4"),)))
    first, second = list(rotated.records())
    assert first.entry.sealed.key_id == old.key_id
    assert second.entry.sealed.key_id == new_ring.current.key_id
    assert new_ring.unseal("registry", first.entry.record_id, first.entry.sealed)["attest"]
    assert verify_store(rotated, new_ring).intact


def test_keys_are_32_bytes_of_base64() -> None:
    with pytest.raises(AuditKeyError, match="32 bytes"):
        AuditKey.from_base64("c2hvcnQ=")
    with pytest.raises(AuditKeyError, match="base64"):
        AuditKey.from_base64("not base64!")
    key = AuditKey.generate()
    assert AuditKey.from_base64(key.to_base64()).key_id == key.key_id
    assert key.to_base64() not in repr(key)
