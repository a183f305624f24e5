"""The generator: the NUFA mix, 1–500 documents per patient, reproducible submissions."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from statistics import median

import pytest

from dokdeling.synthetic import NUFA_MIX, ORGANISATIONS, GeneratorSettings, SyntheticData
from dokdeling.synthetic.catalogue import EPIKRISE, POLIKLINISK_EPIKRISE, RADIOLOGISVAR
from dokdeling.synthetic.metadata import NORS
from schemas.norway.identifiers import is_valid_organisation_number

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _data(**settings: object) -> SyntheticData:
    return SyntheticData(GeneratorSettings(now=NOW, **settings))  # type: ignore[arg-type]


def test_the_mix_adds_up_and_follows_nufa() -> None:
    assert sum(share for _, share in NUFA_MIX) == pytest.approx(1.0)
    shares = dict(NUFA_MIX)
    assert shares[POLIKLINISK_EPIKRISE] == 0.41
    assert shares[EPIKRISE] == 0.38
    assert shares[RADIOLOGISVAR] == 0.12


def test_drawn_kinds_have_the_mix_proportions() -> None:
    data = _data(seed=3)
    drawn = Counter(data.kind() for _ in range(40_000))
    for kind, share in NUFA_MIX:
        assert drawn[kind] / 40_000 == pytest.approx(share, abs=0.01), kind.key


def test_documents_per_patient_run_from_1_to_500_with_a_long_tail() -> None:
    data = _data(seed=5)
    counts = [data.documents_per_patient() for _ in range(20_000)]
    assert min(counts) == 1
    assert max(counts) == 500
    assert 10 <= median(counts) <= 14
    assert 20 <= sum(counts) / len(counts) <= 30


def test_a_stream_holds_exactly_the_documents_asked_for_one_patient_and_organisation_each() -> None:
    submissions = list(_data(max_per_submission=20).stream(3000))
    assert sum(len(s.documents) for s in submissions) == 3000
    for submission in submissions:
        assert 1 <= len(submission.documents) <= 20
        assert {d.patient for d in submission.documents} == {submission.patient}
        assert {d.organisation for d in submission.documents} == {submission.organisation}
        assert submission.source_id == submission.organisation.source_id
    unique_ids = [d.unique_id for s in submissions for d in s.documents]
    unique_ids += [s.unique_id for s in submissions]
    assert len(set(unique_ids)) == len(unique_ids)


def test_a_seed_gives_the_same_data_every_time() -> None:
    first = [d.unique_id for s in _data(seed=11).stream(200) for d in s.documents]
    again = [d.unique_id for s in _data(seed=11).stream(200) for d in s.documents]
    other = [d.unique_id for s in _data(seed=12).stream(200) for d in s.documents]
    assert first == again
    assert first != other


def test_a_share_of_the_documents_is_nors() -> None:
    documents = [d for s in _data(nors_share=0.05).stream(4000) for d in s.documents]
    nors = sum(1 for d in documents if d.confidentiality == NORS)
    assert nors / len(documents) == pytest.approx(0.05, abs=0.015)


def test_every_organisation_has_a_valid_organisation_number_and_its_own_source() -> None:
    assert all(is_valid_organisation_number(o.number) for o in ORGANISATIONS)
    assert len({o.source_id for o in ORGANISATIONS}) == len(ORGANISATIONS)


def test_history_ends_now_and_services_come_before_the_document() -> None:
    for submission in _data().stream(500):
        for document in submission.documents:
            assert document.service_start <= document.service_stop <= document.created <= NOW
            assert submission.submitted <= NOW
