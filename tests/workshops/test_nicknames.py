"""Nicknames: NFKC, trimmed, 1-24 characters, no invisible characters, no slurs."""

import pytest

from attract.workshops.nicknames import NicknameError, clean, generated, key


@pytest.mark.parametrize(("raw", "shown"), [
    ("Ana", "Ana"), ("  Ana   Silva ", "Ana Silva"), ("\uff2a\uff4fs\u00e9", "Jos\u00e9"),
    ("x" * 24, "x" * 24), ("Zoë 🙂", "Zoë 🙂"), ("Scunthorpe", "Scunthorpe"),
    ("Dickens", "Dickens"), ("<b>bold</b>", "<b>bold</b>"),  # escaped where shown
])
def test_good_nicknames(raw, shown):
    assert clean(raw) == shown


@pytest.mark.parametrize("raw", [
    "", "   ", "x" * 25, "a\u202eb", "\u200b\u200b", "tab\there", "nul\x00", "new\nline",
    "shit", "S h i t", "Sh1thead", "\uff26\uff55\uff43\uff4b", "F.U.C.K", "\ud800", 42, None,
    "x" * 5000,
])
def test_bad_nicknames_say_why(raw):
    with pytest.raises(NicknameError) as refused:
        clean(raw)
    assert refused.value.status == 422 and refused.value.message


def test_uniqueness_ignores_case():
    assert key("ANA") == key("ana") == key("Ana")


def test_generated_names_pass_the_rules():
    for _ in range(50):
        name = generated()
        assert clean(name) == name
