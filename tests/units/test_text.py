import pytest

from units.text import fold, matches


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Vụ Pháp chế", "vu phap che"),
        ("Sở Tài nguyên và Môi trường Đắk Lắk", "so tai nguyen va moi truong dak lak"),
        ("ĐỒNG THÁP", "dong thap"),
        ("  Cục   Viễn thám ", "cuc vien tham"),
        ("unit-b", "unit-b"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_matches_any_text_without_diacritics():
    assert matches("dak lak", "Sở TN&MT Đắk Lắk", "")
    assert matches("STNMT-DL", "Sở", "stnmt-dl")
    assert not matches("phap che", "Cục Viễn thám", "unit-b")


def test_diacritics_typed_count():
    assert matches("vien", "Cục Viễn thám")
    assert matches("vien", "Viện Chiến lược")
    assert matches("VIỆN", "Viện Chiến lược")
    assert not matches("viện", "Cục Viễn thám")


def test_decomposed_typing_matches_composed_names():
    import unicodedata

    assert matches(unicodedata.normalize("NFD", "Viện"), "Viện Chiến lược")
