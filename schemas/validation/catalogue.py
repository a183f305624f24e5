"""The rule catalogue as data and as the Markdown table in docs/validation.md."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from schemas.validation.rules import ProfileName, Rule, Transaction


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleEntry:
    """One rule as documentation and tools see it."""

    id: str
    code: str
    section: str
    template: str
    transactions: tuple[str, ...]
    levels: Mapping[str, str]


def rule_catalogue() -> tuple[RuleEntry, ...]:
    """Every rule with its error code, guide section, transactions and level per profile."""
    return tuple(
        RuleEntry(
            id=rule.id,
            code=str(rule.code),
            section=rule.spec.section,
            template=rule.spec.template,
            transactions=tuple(t.value for t in Transaction if t in rule.transactions),
            levels=MappingProxyType({p.value: rule.default_level(p).value for p in ProfileName}),
        )
        for rule in Rule
    )


def catalogue_markdown() -> str:
    """The catalogue table; docs/validation.md embeds it verbatim (a test keeps them equal)."""
    profiles = [p.value for p in ProfileName]
    header = ["rule", "error code", "§", "transactions", *profiles]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for entry in rule_catalogue():
        transactions = (
            "all" if len(entry.transactions) == len(Transaction) else ", ".join(entry.transactions)
        )
        cells = [
            f"`{entry.id}`",
            entry.code,
            entry.section,
            transactions,
            *(entry.levels[p] for p in profiles),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
