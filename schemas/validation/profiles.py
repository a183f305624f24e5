"""Validation profiles: how severe each rule is, and per-rule overrides from configuration.

Three built-in profiles take their levels from the rules themselves: `ihe-strict` (IHE XDS.b as
written), `norway` (IHE plus the Norwegian profile; the default) and `lenient` (IHE, with the rules
real-world senders most often break downgraded to warnings). A deployment relaxes or tightens single
rules with overrides such as `de.source-patient-info.malformed=warning,norway.hpr-number=error`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from schemas.norway.kjernejournal import KJERNEJOURNAL_DOCUMENT_TYPES, DocumentTypeAllowList
from schemas.validation.rules import Level, ProfileName, Rule


@dataclass(frozen=True, slots=True, kw_only=True)
class ValidationProfile:
    """A level for every rule, and the document types the Norwegian allow-list rule accepts."""

    name: str
    levels: Mapping[Rule, Level] = field(hash=False)
    document_types: DocumentTypeAllowList = KJERNEJOURNAL_DOCUMENT_TYPES

    def level(self, rule: Rule) -> Level:
        return self.levels[rule]

    def with_overrides(self, overrides: Mapping[Rule, Level]) -> ValidationProfile:
        """This profile with some rules set to other levels."""
        return replace(self, levels=MappingProxyType({**self.levels, **overrides}))

    def with_document_types(self, document_types: DocumentTypeAllowList) -> ValidationProfile:
        return replace(self, document_types=document_types)


def builtin_profile(name: str) -> ValidationProfile:
    """`ihe-strict`, `norway` or `lenient`; a ValueError names the choices for anything else."""
    try:
        profile_name = ProfileName(name.strip())
    except ValueError:
        choices = ", ".join(p.value for p in ProfileName)
        raise ValueError(f"unknown validation profile {name!r}; choose one of {choices}") from None
    levels = {rule: rule.default_level(profile_name) for rule in Rule}
    return ValidationProfile(name=profile_name.value, levels=MappingProxyType(levels))


IHE_STRICT = builtin_profile(ProfileName.IHE_STRICT)
NORWAY = builtin_profile(ProfileName.NORWAY)
LENIENT = builtin_profile(ProfileName.LENIENT)
DEFAULT_PROFILE = NORWAY


def parse_overrides(text: str) -> dict[Rule, Level]:
    """Comma-separated `rule=level` pairs: `de.title.too-long=off,norway.hpr-number=error`."""
    overrides: dict[Rule, Level] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        rule_id, separator, level_name = item.partition("=")
        if not separator:
            raise ValueError(f"validation override {item!r} is not rule=level")
        try:
            level = Level(level_name.strip().lower())
        except ValueError:
            choices = ", ".join(level.value for level in Level)
            raise ValueError(
                f"validation override {item!r}: {level_name.strip()!r} is not a level ({choices})"
            ) from None
        overrides[Rule.by_id(rule_id)] = level
    return overrides


def configured_profile(
    name: str = DEFAULT_PROFILE.name, overrides: str = "", document_types: str = ""
) -> ValidationProfile:
    """The profile a deployment configures: a built-in profile, overrides and document types.

    The arguments are the texts of DOKDELING_VALIDATION_PROFILE, DOKDELING_VALIDATION_OVERRIDES
    and DOKDELING_VALIDATION_DOCUMENT_TYPES; empty texts keep the defaults.
    """
    profile = builtin_profile(name or DEFAULT_PROFILE.name)
    if overrides.strip():
        profile = profile.with_overrides(parse_overrides(overrides))
    if document_types.strip():
        profile = profile.with_document_types(DocumentTypeAllowList.parse(document_types))
    return profile
