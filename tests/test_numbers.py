"""Whole numbers typed by people (attract.numbers)."""

import pytest

from attract.numbers import small_int


@pytest.mark.parametrize(("raw", "expected"), [
    ("7", 7), (" 12 ", 12), ("007", 7), ("123456789", 123456789),
    ("1234567890", None), ("", None), ("  ", None), ("\u00b2", None), ("\u0663", None),
    ("-1", None), ("+1", None), ("1.0", None), ("1e3", None), ("9" * 5000, None),
    (3, None), (None, None), (b"3", None),
])
def test_small_int(raw, expected):
    assert small_int(raw) == expected


def test_digits_bound():
    assert small_int("99", 2) == 99 and small_int("100", 2) is None
