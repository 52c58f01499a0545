"""Did-you-mean hints for near misses, including look-alike Unicode characters.

An identifier typed with a Cyrillic 'С' (U+0421) instead of a Latin 'C' looks
right on screen and is still unknown. The hint names the closest known value and,
when the text holds characters outside ASCII, each one's code point and name.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Iterable

# Letters from other scripts that render like Latin ones (a common subset of
# Unicode's confusables list), mapped to the Latin letter they imitate.
LOOK_ALIKES = str.maketrans({
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i",
    "ј": "j", "ѕ": "s", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I",
    "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    "ο": "o", "ν": "v",
})


def skeleton(text: str) -> str:
    """Text with look-alikes folded: NFKC, invisible format characters removed,
    other scripts' look-alike letters mapped to Latin, spaces trimmed, lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text.translate(LOOK_ALIKES).strip().casefold()


def code_points(text: str) -> str:
    """'U+0421 CYRILLIC CAPITAL LETTER ES' for each non-ASCII character."""
    seen = dict.fromkeys(ch for ch in text if ord(ch) > 127)
    return ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED CHARACTER')}"
                     for ch in seen)


def did_you_mean(value: str, choices: Iterable[str],
                 key: Callable[[str], str] = skeleton) -> str:
    """'; did you mean 'CN'?' for the closest choice, with code points, or ''."""
    options = [c for c in dict.fromkeys(choices) if c]
    if not options:
        return ""
    target = key(value)
    same = [c for c in options if key(c) == target]
    if not same:
        folded = {key(c): c for c in options}
        close = difflib.get_close_matches(target, list(folded), n=1, cutoff=0.6)
        same = [folded[close[0]]] if close else []
    points = code_points(value)
    guess = f"did you mean '{same[0]}'?" if same else ""
    if points:
        return f" ({points}; {guess})" if guess else f" ({points})"
    return f"; {guess}" if guess else ""
