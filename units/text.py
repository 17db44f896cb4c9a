"""Matching what people type against Vietnamese names.

People often type without diacritics ("vu phap che" for "Vụ Pháp chế"), and SQLite's
LIKE ignores case only for ASCII letters, so names are compared folded: without
marks, with đ read as d, case-folded."""

import re
import unicodedata
from collections.abc import Callable


def fold(text: str) -> str:
    """The text without diacritics, đ as d, case-folded: "Vụ Pháp chế" → "vu phap che"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    return " ".join(bare.casefold().split())


def _lower(text: str) -> str:
    # Vietnamese keyboards type either composed or decomposed letters.
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def matcher(search: str) -> Callable[..., bool]:
    """A test of whether the search is part of any of the texts given it, in any
    case. Typed without diacritics it matches with or without them ("vien" finds
    "Viễn" and "Viện"); typed with them, they count ("viện" finds "Viện", not
    "Viễn"). The search is folded once, however many texts are tested."""
    key = fold if fold(search) == _lower(search) else _lower
    wanted = key(search)

    def found_in(*texts: str) -> bool:
        return any(wanted in key(text or "") for text in texts)

    return found_in


def matches(search: str, *texts: str) -> bool:
    """Whether the search is part of any of the texts (see matcher)."""
    return matcher(search)(*texts)


# Characters that change how text around them is shown without being seen: the
# bidirectional embeddings, overrides and isolates (a "Trojan Source" name reads
# backwards), the zero-width space, joiners and marks, the word joiner and invisible
# operators, and the byte-order mark. They have no place in a narrative or a comment.
INVISIBLE_CONTROLS = re.compile(
    "[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def without_invisible_controls(text: str) -> str:
    """The text without bidirectional and zero-width controls (INVISIBLE_CONTROLS)."""
    return INVISIBLE_CONTROLS.sub("", text)
