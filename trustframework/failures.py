"""Why access was refused: one machine reason per problem, and the HTTP answer it maps to.

Authentication problems (the token or its DPoP proof cannot be trusted) are HTTP 401 with a
`WWW-Authenticate` challenge (RFC 6750 §3, RFC 9449 §7.1). Authorization problems (a trusted
caller may not do this) are HTTP 403 and name the rule. A verifier that cannot reach what it needs
(JWKS, replay cache) answers 503: the caller is not to blame and may retry.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

AUTH_SCHEME_BEARER = "Bearer"
AUTH_SCHEME_DPOP = "DPoP"
# The only JWS algorithms for access tokens and DPoP proofs: asymmetric, never `none` or HMAC.
SIGNING_ALGORITHMS = ("RS256", "PS256", "ES256")


class Reason(StrEnum):
    """Machine reasons, used in SOAP Fault reasons, `error_description` and the audit."""

    # --- the Authorization header and the token itself (401)
    CREDENTIALS_MISSING = "credentials_missing"
    AUTHORIZATION_HEADER_MALFORMED = "authorization_header_malformed"
    AUTHORIZATION_SCHEME_UNSUPPORTED = "authorization_scheme_unsupported"
    TOKEN_MALFORMED = "token_malformed"
    ALGORITHM_NOT_ALLOWED = "algorithm_not_allowed"
    INVALID_TOKEN_TYPE = "invalid_token_type"
    KEY_ID_MISSING = "key_id_missing"
    UNKNOWN_KEY = "unknown_key"
    KEY_ALGORITHM_MISMATCH = "key_algorithm_mismatch"
    INVALID_SIGNATURE = "invalid_signature"
    UNTRUSTED_ISSUER = "untrusted_issuer"
    INVALID_AUDIENCE = "invalid_audience"
    TOKEN_EXPIRED = "token_expired"
    TOKEN_NOT_YET_VALID = "token_not_yet_valid"
    TOKEN_ISSUED_IN_FUTURE = "token_issued_in_future"
    MISSING_CLAIM = "missing_claim"
    INVALID_CLAIM = "invalid_claim"
    AMBIGUOUS_PRINCIPAL = "ambiguous_principal"
    INSUFFICIENT_SECURITY_LEVEL = "insufficient_security_level"
    # --- DPoP (RFC 9449) (401)
    DPOP_REQUIRED = "dpop_required"
    DPOP_BOUND_TOKEN_USED_AS_BEARER = "dpop_bound_token_used_as_bearer"
    DPOP_PROOF_WITH_BEARER_TOKEN = "dpop_proof_with_bearer_token"
    TOKEN_NOT_DPOP_BOUND = "token_not_dpop_bound"
    DPOP_PROOF_MISSING = "dpop_proof_missing"
    DPOP_PROOF_MULTIPLE = "dpop_proof_multiple"
    DPOP_PROOF_MALFORMED = "dpop_proof_malformed"
    DPOP_PROOF_INVALID_TYPE = "dpop_proof_invalid_type"
    DPOP_ALGORITHM_NOT_ALLOWED = "dpop_algorithm_not_allowed"
    DPOP_KEY_INVALID = "dpop_key_invalid"
    DPOP_PRIVATE_KEY_IN_PROOF = "dpop_private_key_in_proof"
    DPOP_SIGNATURE_INVALID = "dpop_signature_invalid"
    DPOP_KEY_MISMATCH = "dpop_key_mismatch"
    DPOP_CLAIM_MISSING = "dpop_claim_missing"
    DPOP_METHOD_MISMATCH = "dpop_method_mismatch"
    DPOP_URL_MISMATCH = "dpop_url_mismatch"
    DPOP_PROOF_TOO_OLD = "dpop_proof_too_old"
    DPOP_PROOF_FROM_FUTURE = "dpop_proof_from_future"
    DPOP_ATH_MISSING = "dpop_ath_missing"
    DPOP_ATH_MISMATCH = "dpop_ath_mismatch"
    DPOP_PROOF_REPLAYED = "dpop_proof_replayed"
    # --- the attest claim `nhn:tillitsrammeverk:parameters` (403)
    ATTEST_MALFORMED = "attest_malformed"
    ATTEST_REQUIRED_FIELD_MISSING = "attest_required_field_missing"
    ATTEST_INVALID_CODE_SYSTEM = "attest_invalid_code_system"
    ATTEST_INVALID_VALUE = "attest_invalid_value"
    # --- the source's access policy (403)
    INSUFFICIENT_SCOPE = "insufficient_scope"
    READ_REQUIRES_PERSON = "read_requires_person"
    ATTEST_MISSING = "attest_missing"
    ATTESTATION_HAS_EXPIRED = "attestation_has_expired"
    ATTESTATION_TIME_IN_FUTURE = "attestation_time_in_future"
    PRACTITIONER_NOT_AUTHENTICATED_PERSON = "practitioner_not_authenticated_person"
    PRACTITIONER_WITHOUT_HPR_AUTHORIZATION = "practitioner_without_hpr_authorization"
    PRACTITIONER_HPR_MISMATCH = "practitioner_hpr_mismatch"
    PURPOSE_OF_USE_NOT_PERMITTED = "purpose_of_use_not_permitted"
    ACCESS_BASIS_MISSING = "access_basis_missing"
    ACCESS_BASIS_INVALID = "access_basis_invalid"
    PATIENT_NOT_BOUND_TO_ATTEST = "patient_not_bound_to_attest"
    PRACTITIONER_BLOCKED_BY_PATIENT = "practitioner_blocked_by_patient"
    CITIZEN_READS_ONLY_OWN_DOCUMENTS = "citizen_reads_only_own_documents"
    CITIZEN_TRANSACTION_NOT_PERMITTED = "citizen_transaction_not_permitted"
    NO_RULE_APPLIES = "no_rule_applies"
    # --- the verifier's own dependencies (503)
    JWKS_UNAVAILABLE = "jwks_unavailable"
    DPOP_REPLAY_CACHE_UNAVAILABLE = "dpop_replay_cache_unavailable"


_UNAVAILABLE = frozenset({Reason.JWKS_UNAVAILABLE, Reason.DPOP_REPLAY_CACHE_UNAVAILABLE})
_FORBIDDEN = frozenset(
    {
        Reason.ATTEST_MALFORMED,
        Reason.ATTEST_REQUIRED_FIELD_MISSING,
        Reason.ATTEST_INVALID_CODE_SYSTEM,
        Reason.ATTEST_INVALID_VALUE,
        Reason.INSUFFICIENT_SCOPE,
        Reason.READ_REQUIRES_PERSON,
        Reason.ATTEST_MISSING,
        Reason.ATTESTATION_HAS_EXPIRED,
        Reason.ATTESTATION_TIME_IN_FUTURE,
        Reason.PRACTITIONER_NOT_AUTHENTICATED_PERSON,
        Reason.PRACTITIONER_WITHOUT_HPR_AUTHORIZATION,
        Reason.PRACTITIONER_HPR_MISMATCH,
        Reason.PURPOSE_OF_USE_NOT_PERMITTED,
        Reason.ACCESS_BASIS_MISSING,
        Reason.ACCESS_BASIS_INVALID,
        Reason.PATIENT_NOT_BOUND_TO_ATTEST,
        Reason.PRACTITIONER_BLOCKED_BY_PATIENT,
        Reason.CITIZEN_READS_ONLY_OWN_DOCUMENTS,
        Reason.CITIZEN_TRANSACTION_NOT_PERMITTED,
        Reason.NO_RULE_APPLIES,
    }
)
_INVALID_REQUEST = frozenset(
    {
        Reason.AUTHORIZATION_HEADER_MALFORMED,
        Reason.AUTHORIZATION_SCHEME_UNSUPPORTED,
        Reason.DPOP_PROOF_WITH_BEARER_TOKEN,
        Reason.DPOP_PROOF_MULTIPLE,
    }
)
# Problems with the proof itself; whether a token is bound or not is an `invalid_token` matter.
_INVALID_DPOP_PROOF = frozenset(
    {
        Reason.DPOP_PROOF_MISSING,
        Reason.DPOP_PROOF_MALFORMED,
        Reason.DPOP_PROOF_INVALID_TYPE,
        Reason.DPOP_ALGORITHM_NOT_ALLOWED,
        Reason.DPOP_KEY_INVALID,
        Reason.DPOP_PRIVATE_KEY_IN_PROOF,
        Reason.DPOP_SIGNATURE_INVALID,
        Reason.DPOP_KEY_MISMATCH,
        Reason.DPOP_CLAIM_MISSING,
        Reason.DPOP_METHOD_MISMATCH,
        Reason.DPOP_URL_MISMATCH,
        Reason.DPOP_PROOF_TOO_OLD,
        Reason.DPOP_PROOF_FROM_FUTURE,
        Reason.DPOP_ATH_MISSING,
        Reason.DPOP_ATH_MISMATCH,
        Reason.DPOP_PROOF_REPLAYED,
    }
)


def http_status(reason: Reason) -> int:
    """401 for authentication, 403 for authorization, 503 when the verifier lacks a dependency."""
    if reason in _UNAVAILABLE:
        return 503
    return 403 if reason in _FORBIDDEN else 401


def oauth_error(reason: Reason) -> str | None:
    """The `error` code of the challenge (RFC 6750 §3.1, RFC 9449 §7.1, RFC 9470 §3)."""
    if reason is Reason.INSUFFICIENT_SCOPE:
        return "insufficient_scope"
    if reason in _FORBIDDEN or reason in _UNAVAILABLE or reason is Reason.CREDENTIALS_MISSING:
        return None
    if reason in _INVALID_REQUEST:
        return "invalid_request"
    if reason is Reason.INSUFFICIENT_SECURITY_LEVEL:
        return "insufficient_user_authentication"
    return "invalid_dpop_proof" if reason in _INVALID_DPOP_PROOF else "invalid_token"


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessFailure:
    """A refused request: the machine reason, a sentence for people, and the HTTP answer."""

    reason: Reason
    detail: str
    scheme: str = AUTH_SCHEME_BEARER

    @property
    def status(self) -> int:
        return http_status(self.reason)

    @property
    def is_authentication_failure(self) -> bool:
        return self.status == 401

    def www_authenticate(self, realm: str = "dokdeling") -> str | None:
        """The `WWW-Authenticate` value for a 401 (and RFC 6750 `insufficient_scope` 403)."""
        error = oauth_error(self.reason)
        if self.status == 503 or (self.status == 403 and error is None):
            return None
        params = [f'realm="{realm}"']
        if error is not None:
            params.append(f'error="{error}"')
            params.append(f'error_description="{self.reason.value}"')
        if self.scheme == AUTH_SCHEME_DPOP:
            params.append(f'algs="{" ".join(SIGNING_ALGORITHMS)}"')
        return f"{self.scheme} " + ", ".join(params)
