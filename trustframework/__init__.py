"""HelseID tokens, the tillitsrammeverk attest and the source's access policy.

The services' HTTP edge uses two calls (docs/trustframework.md):

    authenticator = Authenticator.from_settings(TrustSettings.from_env())
    result = authenticator.authenticate(method, url, headers)   # AccessContext | AccessFailure
    decision = decide(context, RequestFacts(...), documents, settings=settings)
                                                                 # Permit | Filter | Deny

Storage (`trustframework.storage`, SQLAlchemy) and the click groups (`trustframework.cli`) are
imported from their modules, so the library itself pulls in neither.
"""

from trustframework.attest import (
    ATTEST_CLAIM,
    Attest,
    AttestedPatient,
    AttestProblem,
    CareRelationship,
    CodedValue,
    DecisionRef,
    Identifier,
    InvalidAttest,
    Practitioner,
    parse_attest,
)
from trustframework.blocks import Block, BlockStore
from trustframework.codes import AccessBasis, PurposeOfUse
from trustframework.context import AccessContext, Principal, Role
from trustframework.failures import AccessFailure, Reason
from trustframework.policy import (
    Decision,
    Deny,
    Filter,
    PatientBinding,
    Permit,
    RequestFacts,
    Transaction,
    decide,
    patients_concerned,
)
from trustframework.replay import InMemoryReplayCache, RedisReplayCache, ReplayCache
from trustframework.settings import Scopes, TrustConfigurationError, TrustSettings
from trustframework.tokens import Authenticator
from trustframework.visibility import Hidden, LegalBasis, Rule

__all__ = [
    "ATTEST_CLAIM",
    "AccessBasis",
    "AccessContext",
    "AccessFailure",
    "Attest",
    "AttestProblem",
    "AttestedPatient",
    "Authenticator",
    "Block",
    "BlockStore",
    "CareRelationship",
    "CodedValue",
    "Decision",
    "DecisionRef",
    "Deny",
    "Filter",
    "Hidden",
    "Identifier",
    "InMemoryReplayCache",
    "InvalidAttest",
    "LegalBasis",
    "PatientBinding",
    "Permit",
    "Practitioner",
    "Principal",
    "PurposeOfUse",
    "Reason",
    "RedisReplayCache",
    "ReplayCache",
    "RequestFacts",
    "Role",
    "Rule",
    "Scopes",
    "Transaction",
    "TrustConfigurationError",
    "TrustSettings",
    "decide",
    "parse_attest",
    "patients_concerned",
]
