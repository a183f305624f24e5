"""ITI-43 under the access policy: each requested document is judged from the repository's own
record of it (`AccessMetadata`: patient, class, confidentiality, clinical times, author
institution), with the blocks of its patient, by `trustframework.decide`.

The guard has admitted the request (read-document scope, attest, its age, the practitioner, a
patient binding) before any document is looked up. Then, per patient the found documents belong
to, one decision: Deny (another patient than the bound one, a citizen's other person, a
practitioner the patient blocked) withholds all of that patient's documents; Filter withholds
the hidden ones (NORS from personnel, NORU/NORN/V from citizens, outside kjernejournalforskriften).
The one exception is a block by the bound patient: that is refused as a whole with HTTP 403
`practitioner_blocked_by_patient` (audited), as ITI-18 refuses it, since the caller already knows
the patient and the block concerns the patient, not any document.

A withheld document is answered exactly as one this repository does not hold
(XDSDocumentUniqueIdError, same text): the answer tells a caller neither that the document
exists, nor whose it is, nor its label. The record says why: the transaction's record names the
documents actually returned, and one `deny` record per rule names the withheld ones (so each
data controller sees the attempt). The `NHN-SecurityLabel-Nors-Count` header counts the NORS
documents withheld from health personnel, as ITI-18 does, so a clinician may ask again with
break-the-glass.
"""

from __future__ import annotations

from collections.abc import Sequence

from repository.model import StoredDocument
from repository.state import RepositoryState
from schemas.model import Cx
from schemas.model.messages import RetrieveDocumentSetResponse
from trustframework.audit.events import touched
from trustframework.audit.record import AuditEvent, Outcome
from trustframework.failures import Reason
from trustframework.guard import Admission
from trustframework.judged import JudgedDocument
from trustframework.policy import Decision, Deny, Filter, Permit, decide
from trustframework.soap_edge import error_codes
from trustframework.visibility import Rule


class RetrieveAccess:
    """The decisions of one ITI-43 request, and the audit events that report them."""

    def __init__(self, state: RepositoryState, admission: Admission) -> None:
        self._state = state
        self._admission = admission
        self._granted: dict[Cx | None, Permit | Filter] = {}
        self._withheld: dict[tuple[str, Cx | None], list[JudgedDocument]] = {}

    def withhold(self, documents: Sequence[StoredDocument]) -> set[str]:
        """The uniqueIds of `documents` the caller may not have (`RetrieveDocuments.retrieve`)."""
        by_patient: dict[Cx | None, list[JudgedDocument]] = {}
        for document in documents:
            entry = document.entry()
            by_patient.setdefault(entry.patient_id, []).append(entry)
        for patient, entries in by_patient.items():
            decision = self._decide(patient, entries)
            blocked = Reason.PRACTITIONER_BLOCKED_BY_PATIENT
            if isinstance(decision, Deny) and decision.reason is blocked:
                # The bound patient (binding is decided first) blocked this practitioner: a
                # patient-level refusal the caller may know of, answered 403 as interface §2 says.
                self._state.guard.refuse(
                    self._admission, decision, patient=patient, documents=touched(entries)
                )
            if isinstance(decision, Deny):
                self._withhold(decision.rule_name, patient, entries)
                continue
            self._granted[patient] = decision
            if isinstance(decision, Filter):
                for hidden in decision.hidden:
                    self._withhold(hidden.rule.value, patient, [hidden.entry])
        return {entry.unique_id for entries in self._withheld.values() for entry in entries}

    @property
    def nors_count(self) -> int:
        """NORS documents withheld from health personnel (`NHN-SecurityLabel-Nors-Count`)."""
        rule = Rule.NORS_HIDDEN_FROM_PERSONNEL.value
        return sum(len(entries) for (name, _), entries in self._withheld.items() if name == rule)

    def events(
        self, served: Sequence[StoredDocument], response: RetrieveDocumentSetResponse
    ) -> list[AuditEvent]:
        """The transaction's record (the documents returned, or why none was), then one deny
        record per rule and patient naming the documents it withheld."""
        guard, admission = self._state.guard, self._admission
        entries = [document.entry() for document in served]
        patient = entries[0].patient_id if entries else self._only_patient()
        decision: Decision | None = self._granted.get(patient) if entries else None
        if decision is not None:
            outcome = Outcome.permitted(decision.rule_name)
        else:
            codes = error_codes(response.errors)
            outcome = Outcome.failed(codes, rule=admission.decision.rule_name)
        events = [
            guard.event(
                admission, outcome, decision=decision, patient=patient, documents=touched(entries)
            )
        ]
        for (rule, withheld_patient), withheld in self._withheld.items():
            events.append(
                guard.event(
                    admission,
                    Outcome.denied(rule),
                    patient=withheld_patient,
                    documents=touched(withheld),
                )
            )
        return events

    def _decide(self, patient: Cx | None, entries: Sequence[JudgedDocument]) -> Decision:
        guard = self._state.guard
        blocked = self._state.blocks.blocked_hpr_numbers([patient]) if patient else frozenset()
        facts = guard.facts(self._admission, patient=patient, blocked=blocked)
        return decide(self._admission.context, facts, entries, settings=guard.settings)

    def _withhold(self, rule: str, patient: Cx | None, entries: Sequence[JudgedDocument]) -> None:
        self._withheld.setdefault((rule, patient), []).extend(entries)

    def _only_patient(self) -> Cx | None:
        patients = {patient for _, patient in self._withheld} | set(self._granted)
        return next(iter(patients)) if len(patients) == 1 else None
