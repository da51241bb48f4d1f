"""Search folds names the same way on both sides: case, accents and invisible characters never
stop a person being found, and the stored text is never changed (domain/search.py)."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from domain.families import LegalStatus
from domain.search import fold, matches, search_key
from domain.services.caseload import CaseloadRow, ChildStatus

COMPOSED = "Zo\u00eb"  # ë as one code point
DECOMPOSED = "Zoe\u0308"  # e + combining diaeresis


def test_composed_and_decomposed_fold_alike() -> None:
    assert COMPOSED != DECOMPOSED
    assert fold(COMPOSED) == fold(DECOMPOSED) == "zoe"


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_invisible_characters_are_ignored(invisible: str) -> None:
    assert fold(f"Ann{invisible}Marie") == "annmarie"
    assert matches("annmarie", search_key([f"Ann{invisible}Marie"]))
    assert matches(f"Ann{invisible}Marie", search_key(["AnnMarie"]))


def test_case_folding_goes_beyond_lower() -> None:
    assert fold("STRAẞE") == fold("Straße") == "strasse"
    assert "ß".lower() == "ß"  # lower() alone would not find "strasse"
    assert matches("strasse", search_key(["Weiß-Straße"]))


def test_compatibility_forms_and_white_space() -> None:
    assert fold("Ｏ’Ｂｒｉｅｎ") == fold("O’Brien")  # full-width letters
    assert fold("Mary\u00a0 Jane") == "mary jane"  # no-break space, doubled space
    assert fold("İlkay") == "ilkay"  # dotted capital I folds without a stray mark


def test_every_word_must_match_somewhere() -> None:
    key = search_key(["Smith family", "FAM-0042", "Zo\u00eb Smith", "Dana Smith"])
    assert matches("zoe", key)
    assert matches("ZOË  smith", key)
    assert matches("fam-0042", key)
    assert matches("", key) and matches("\u200b", key)
    assert not matches("zoe jones", key)


def row(**overrides: object) -> CaseloadRow:
    values: dict[object, object] = dict(
        family_id=1,
        reference="FAM-0042",
        name="Brontë family",
        practitioner_id=None,
        children=(ChildStatus(DECOMPOSED + " Bronte\u0308", LegalStatus.CHILD_IN_NEED),),
        review_due=None,
        review_overdue=False,
        last_summary_end=None,
        last_summary_status=None,
        summary_overdue=False,
        returned_comment="",
        last_contact=date(2025, 1, 1),
        visit_overdue=False,
        latest_scaling=None,
        scaling_trend=0,
        read_only=False,
        members=("Ann\u200dMarie Bront\u00eb", DECOMPOSED + " Bronte\u0308"),
    )
    values.update(overrides)
    return CaseloadRow(**values)  # type: ignore[arg-type]


def test_a_family_is_found_by_its_name_reference_and_any_members_name() -> None:
    family = row()
    assert family.matches("bronte")  # family name, without the accent
    assert family.matches("fam-00")  # reference
    assert family.matches(COMPOSED)  # the child, stored decomposed, typed composed
    assert family.matches("annmarie")  # an adult, with a zero-width joiner inside
    assert not family.matches("Hughes")
    # Matching never changes what is stored or shown.
    assert family.members[0] == "Ann\u200dMarie Bront\u00eb"
    assert unicodedata.is_normalized("NFD", family.children[0].name)
