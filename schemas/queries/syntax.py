"""The value syntax of one stored-query `<rim:Value>` (ITI TF-2a 3.18.4.1.2.3.5).

A value is a scalar, `'text'` or a bare token such as `20041224`, or a parenthesised list of them,
`('a', 'b')` or `('a')`. Inside quotes a quote is written twice (`'O''Brien'`). Whitespace between
tokens is not significant. Deciding whether a quoted or a bare token is right for a parameter is
the caller's business; this module only reads the shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTE = "'"
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<quoted>'(?:[^']|'')*')
    | (?P<open>\()
    | (?P<close>\))
    | (?P<comma>,)
    | (?P<bare>[^\s,()']+)
    | (?P<stray>')
    """,
    re.VERBOSE,
)


class ValueSyntaxError(ValueError):
    """A value that is neither a quoted string, a bare token nor a well-formed list."""


@dataclass(frozen=True, slots=True)
class Literal:
    """One token of a value: its text (quotes removed, `''` undone) and whether it was quoted."""

    text: str
    quoted: bool


@dataclass(frozen=True, slots=True)
class SlotValue:
    """One `<rim:Value>`: its literals, and whether they were written as a `( … )` list."""

    literals: tuple[Literal, ...]
    is_list: bool


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or ""
        if kind == "stray":
            raise ValueSyntaxError(f"unterminated quoted string at {text[match.start() :]!r}")
        if kind != "space":
            tokens.append((kind, match.group()))
    return tokens


def _literal(kind: str, token: str) -> Literal:
    if kind == "quoted":
        return Literal(token[1:-1].replace(_QUOTE * 2, _QUOTE), quoted=True)
    return Literal(token, quoted=False)


def _list(tokens: list[tuple[str, str]]) -> tuple[Literal, ...]:
    """The literals of `( item , item … )`; `tokens` starts after the opening parenthesis."""
    literals: list[Literal] = []
    expect_item = True
    for position, (kind, token) in enumerate(tokens):
        if kind == "close":
            if expect_item:
                raise ValueSyntaxError("a list needs a value before ')' and after every ','")
            if position != len(tokens) - 1:
                raise ValueSyntaxError(f"unexpected text after ')': {tokens[position + 1][1]!r}")
            return tuple(literals)
        if expect_item and kind in ("quoted", "bare"):
            literals.append(_literal(kind, token))
            expect_item = False
        elif not expect_item and kind == "comma":
            expect_item = True
        elif kind == "open":
            raise ValueSyntaxError("lists cannot be nested")
        else:
            needed = "a value" if expect_item else "',' or ')'"
            raise ValueSyntaxError(f"expected {needed} in the list, found {token!r}")
    raise ValueSyntaxError("the list is not closed with ')'")


def parse_value(text: str) -> SlotValue:
    """Read one `<rim:Value>` text; raise `ValueSyntaxError` saying what is wrong."""
    tokens = _tokens(text)
    if not tokens:
        raise ValueSyntaxError("the value is empty")
    kind, token = tokens[0]
    if kind == "open":
        return SlotValue(_list(tokens[1:]), is_list=True)
    if kind not in ("quoted", "bare"):
        raise ValueSyntaxError(f"a value cannot start with {token!r}")
    if len(tokens) > 1:
        raise ValueSyntaxError(
            f"unexpected {tokens[1][1]!r} after {token!r}; several values are written ('a', 'b')"
        )
    return SlotValue((_literal(kind, token),), is_list=False)
