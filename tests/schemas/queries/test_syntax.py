from __future__ import annotations

import re

import pytest

from schemas.queries import Literal, SlotValue, ValueSyntaxError, parse_value


def quoted(*texts: str) -> tuple[Literal, ...]:
    return tuple(Literal(text, quoted=True) for text in texts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'a'", SlotValue(quoted("a"), is_list=False)),
        ("('a','b')", SlotValue(quoted("a", "b"), is_list=True)),
        ("('a')", SlotValue(quoted("a"), is_list=True)),
        ("20041224", SlotValue((Literal("20041224", quoted=False),), is_list=False)),
        ("(1, 2)", SlotValue((Literal("1", quoted=False), Literal("2", quoted=False)), True)),
        ("'O''Brien'", SlotValue(quoted("O'Brien"), is_list=False)),
        ("('it''s', '''')", SlotValue(quoted("it's", "'"), is_list=True)),
        ("''", SlotValue(quoted(""), is_list=False)),
        ("  ( 'a' ,\n\n  'b' )  ", SlotValue(quoted("a", "b"), is_list=True)),
        ("( ' 1^^^&1.2.3.4&ISO' ,'2')", SlotValue(quoted(" 1^^^&1.2.3.4&ISO", "2"), True)),
        ("('DEMO-Lab^^1.3.6', 'a^^')", SlotValue(quoted("DEMO-Lab^^1.3.6", "a^^"), True)),
        ("'a, (b)'", SlotValue(quoted("a, (b)"), is_list=False)),
        ("'%Ford%'", SlotValue(quoted("%Ford%"), is_list=False)),
    ],
)
def test_values_are_read(text: str, expected: SlotValue) -> None:
    assert parse_value(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("'abc", "unterminated"),
        ("'abc''", "unterminated"),
        ("('a','b'", "not closed"),
        ("()", "needs a value"),
        ("('a',)", "needs a value"),
        ("(,'a')", "expected a value"),
        ("('a' 'b')", "expected ',' or ')'"),
        ("('a'),('b')", "after ')'"),
        ("(('a'))", "nested"),
        ("'a','b'", "several values"),
        ("'a' 'b'", "several values"),
        (")", "cannot start"),
        (",'a'", "cannot start"),
        ("'593603^^^&2.16.756.5.33.2.5.1.5.1&ISO''%20and%20611%3d611--%20", "unterminated"),
    ],
)
def test_malformed_values_say_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(ValueSyntaxError, match=re.escape(problem)):
        parse_value(text)
