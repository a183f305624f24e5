"""TrustSettings: the trust framework's configuration, read from `DOKDELING_TRUST_*` variables.

Every variable is listed in docs/trustframework.md. A value that cannot be read stops the
service at start-up with TrustConfigurationError, never at the first request.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from servicekit.config import ConfigError
from trustframework import codes

ENV_PREFIX = "DOKDELING_TRUST_"
DEFAULT_AUDIENCE = "dokdeling"
DEFAULT_SCOPE_PREFIX = "dokdeling"
MEMORY_REPLAY_CACHE = "memory://"


class TrustConfigurationError(ConfigError):
    """A `DOKDELING_TRUST_*` variable has a value the trust framework cannot use (a
    `servicekit.config.ConfigError`, so a service's start-up names the variable)."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(ENV_PREFIX + name, problem)


@dataclass(frozen=True, slots=True, kw_only=True)
class Scopes:
    """The scope each kind of transaction needs (interface §4); names are configurable."""

    publish: str
    read_documentreferences: str
    read_documentreferences_kjernejournalforskriften: str
    read_document: str
    update: str
    delete: str
    audit: str
    admin: str
    citizen: str

    @classmethod
    def with_prefix(cls, prefix: str = DEFAULT_SCOPE_PREFIX) -> Scopes:
        """`<prefix>/publish`, `<prefix>/read-documentreferences`, … (NHN's `nhn:<api>/<scope>`)."""
        return cls(
            publish=f"{prefix}/publish",
            read_documentreferences=f"{prefix}/read-documentreferences",
            read_documentreferences_kjernejournalforskriften=(
                f"{prefix}/read-documentreferences/kjernejournalforskriften"
            ),
            read_document=f"{prefix}/read-document",
            update=f"{prefix}/update",
            delete=f"{prefix}/delete",
            audit=f"{prefix}/audit",
            admin=f"{prefix}/admin",
            citizen=f"{prefix}/citizen",
        )

    def overridden(self, overrides: Mapping[str, str]) -> Scopes:
        """These scopes with some renamed, e.g. {"publish": "nhn:phr-repo/mhd/create"}."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise TrustConfigurationError(
                "SCOPES", f"unknown scope names {unknown}; known: {sorted(known)}"
            )
        return replace(self, **overrides)


@dataclass(frozen=True, slots=True, kw_only=True)
class TrustSettings:
    """Who is trusted to issue tokens, how they are checked, and the scope names."""

    issuers: tuple[str, ...] = ()
    jwks: tuple[str, ...] = ()
    audience: str = DEFAULT_AUDIENCE
    clock_skew_seconds: int = 60
    dpop_proof_max_age_seconds: int = 60
    require_dpop: bool = False
    replay_cache_url: str = MEMORY_REPLAY_CACHE
    jwks_ca_file: str | None = None
    jwks_cache_seconds: int = 3600
    jwks_min_refresh_seconds: int = 60
    scopes: Scopes = field(default_factory=Scopes.with_prefix)
    extra_patient_authorities: frozenset[str] = frozenset()
    repository_clients: frozenset[str] = frozenset()
    """`client_id`s of Document Repositories whose system tokens register (ITI-42) documents on
    behalf of the sources that provided them (ITI-41): the registry checks the publisher rule
    against the organisation the repository names (`Guard.check_publisher`)."""

    def __post_init__(self) -> None:
        if self.jwks and len(self.jwks) not in (1, len(self.issuers)):
            raise TrustConfigurationError(
                "JWKS",
                "must name one location, or one per issuer "
                f"({len(self.issuers)} issuers, {len(self.jwks)} locations)",
            )
        if self.issuers and not self.jwks:
            raise TrustConfigurationError("JWKS", f"{ENV_PREFIX}ISSUERS is set but JWKS is not")

    def jwks_of(self, issuer: str) -> str:
        """The JWKS location for a trusted issuer: the shared one, or the one paired with it."""
        if len(self.jwks) == 1:
            return self.jwks[0]
        return self.jwks[self.issuers.index(issuer)]

    @property
    def patient_id_systems(self) -> frozenset[str]:
        """The OIDs an attested patient identifier may use."""
        return codes.NATIONAL_PERSON_IDS | self.extra_patient_authorities

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TrustSettings:
        env = _Env(os.environ if environ is None else environ)
        scopes = Scopes.with_prefix(env.text("SCOPE_PREFIX", DEFAULT_SCOPE_PREFIX))
        return cls(
            issuers=env.items("ISSUERS"),
            jwks=env.items("JWKS"),
            audience=env.text("AUDIENCE", DEFAULT_AUDIENCE),
            clock_skew_seconds=env.seconds("CLOCK_SKEW", 60),
            dpop_proof_max_age_seconds=env.seconds("DPOP_MAX_AGE", 60),
            require_dpop=env.flag("REQUIRE_DPOP"),
            replay_cache_url=env.text("REPLAY_CACHE_URL", MEMORY_REPLAY_CACHE),
            jwks_ca_file=env.text("JWKS_CA_FILE", "") or None,
            jwks_cache_seconds=env.seconds("JWKS_CACHE_SECONDS", 3600),
            jwks_min_refresh_seconds=env.seconds("JWKS_MIN_REFRESH_SECONDS", 60),
            scopes=scopes.overridden(env.pairs("SCOPES")),
            extra_patient_authorities=frozenset(
                codes.oid_of(oid) for oid in env.items("PATIENT_AUTHORITIES")
            ),
            repository_clients=frozenset(env.items("REPOSITORY_CLIENTS")),
        )


class _Env:
    """Typed reads of `DOKDELING_TRUST_<NAME>` with the variable named in every error."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ

    def text(self, name: str, default: str) -> str:
        return self.environ.get(ENV_PREFIX + name, "").strip() or default

    def items(self, name: str) -> tuple[str, ...]:
        raw = self.environ.get(ENV_PREFIX + name, "")
        return tuple(item.strip() for item in raw.split(",") if item.strip())

    def seconds(self, name: str, default: int) -> int:
        raw = self.text(name, str(default))
        if not raw.isdigit():
            raise TrustConfigurationError(name, f"must be whole seconds, not {raw!r}")
        return int(raw)

    def flag(self, name: str) -> bool:
        raw = self.text(name, "false").lower()
        if raw not in ("true", "false", "1", "0", "yes", "no"):
            raise TrustConfigurationError(name, f"must be true or false, not {raw!r}")
        return raw in ("true", "1", "yes")

    def pairs(self, name: str) -> dict[str, str]:
        pairs: dict[str, str] = {}
        for item in self.items(name):
            key, sep, value = item.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise TrustConfigurationError(name, f"{item!r} is not name=scope")
            pairs[key.strip().replace("-", "_")] = value.strip()
        return pairs
