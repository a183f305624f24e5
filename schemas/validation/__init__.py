"""Metadata validation of ebRIM RegistryObjectLists, parameterised by transaction and profile.

`validate_submission(objects, transaction, profile)` runs every rule of the conformance guide §8
that needs no registry state, plus the Norwegian profile's; `rule_catalogue()` lists the rules.
"""

from schemas.validation.catalogue import RuleEntry, catalogue_markdown, rule_catalogue
from schemas.validation.profiles import (
    DEFAULT_PROFILE,
    IHE_STRICT,
    LENIENT,
    NORWAY,
    ValidationProfile,
    builtin_profile,
    configured_profile,
    parse_overrides,
)
from schemas.validation.report import Finding, ValidationReport
from schemas.validation.rules import Level, ProfileName, Rule, Transaction
from schemas.validation.submission import validate_submission

__all__ = [
    "DEFAULT_PROFILE",
    "IHE_STRICT",
    "LENIENT",
    "NORWAY",
    "Finding",
    "Level",
    "ProfileName",
    "Rule",
    "RuleEntry",
    "Transaction",
    "ValidationProfile",
    "ValidationReport",
    "builtin_profile",
    "catalogue_markdown",
    "configured_profile",
    "parse_overrides",
    "rule_catalogue",
    "validate_submission",
]
