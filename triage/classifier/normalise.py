"""Social-media text, normalised for the classifier, with each token's place in the original.

Posters dodge word filters with look-alike characters ("v3rm1n", "@nimals"),
spaced-out letters ("v e r m i n"), stretched words ("verrrrmin") and invisible
characters; hashtags run words together ("#SendThemBack"). We undo those tricks
token by token and keep, for every normalised token, the span of the original
text it came from, so an explanation can highlight what the poster wrote.

Pure Python: the web process may import this module.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Bump when the output changes: a stored model records the version it was trained with.
NORMALISER_VERSION = 1

URL_PLACEHOLDER = "url"
MENTION_PLACEHOLDER = "mention"

_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
# Look-alikes used inside words. Applied only to a token that also holds letters.
_LOOK_ALIKES = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
_LOOK_ALIKE_CHARS = frozenset("013457@$!")

_URL = r"(?:https?://|www\.)\S+"
_MENTION = r"@\w+"
_HASHTAG = r"#\w+"
_CHAR = rf"[^\W_]|[@$][{_INVISIBLE}]*"
# Three or more single characters with one separator between them: "v e r m i n", "k.i.l.l".
_SPACED = rf"(?<![\w@$])(?:{_CHAR})(?:[ .\-_*](?:{_CHAR})){{2,}}(?![\w@$])"
# A word, letting look-alike symbols, asterisks, apostrophes and invisible characters sit inside it.
_WORD = rf"[\w@$*'’{_INVISIBLE}]+(?:[!|][\w@$*'’{_INVISIBLE}]+)*"
_TOKEN_RE = re.compile(
    rf"(?P<url>{_URL})|(?P<spaced>{_SPACED})|(?P<mention>{_MENTION})|(?P<hashtag>{_HASHTAG})|(?P<word>{_WORD})|(?P<other>\S)",
    re.IGNORECASE,
)
_CAMEL_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_REPEATS_RE = re.compile(r"(.)\1{2,}")
_SEPARATORS_RE = re.compile(r"[ .\-_*]")
_NON_WORD_RE = re.compile(r"[^\w]+")
# Letter, digit, letter inside a handle: "@n1mals" is a word in disguise, "@user123" a mention.
_DISGUISED_HANDLE_RE = re.compile(r"[^\W\d_][0-9$!][^\W\d_]")


@dataclass(frozen=True)
class Token:
    """One normalised token (it may hold several words, as a split hashtag does) and its span in the original."""

    text: str
    start: int
    end: int


def _fold(text: str) -> str:
    """Lower case, compatibility forms folded (full-width letters), accents removed."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in text if not unicodedata.combining(char))


def _squeeze(word: str) -> str:
    """Three or more of one character become two: "sooooo" → "soo", "killllll" → "kill"."""
    return _REPEATS_RE.sub(r"\1\1", word)


def _undisguise(word: str) -> str:
    """Undo look-alike characters in a word that also holds letters: "v3rm1n" → "vermin"."""
    letters = sum(char.isalpha() for char in word)
    if letters >= 2 and any(char in _LOOK_ALIKE_CHARS for char in word):
        word = word.translate(_LOOK_ALIKES)
    return word


def _word_forms(raw: str) -> str:
    word = _INVISIBLE_RE.sub("", raw)
    word = word.replace("'", "").replace("’", "").replace("*", "")
    word = _undisguise(_fold(word))
    word = _squeeze(word)
    # Masking asterisks are dropped ("f*cking" → "fcking"); other symbols left inside split the word.
    return " ".join(part for part in _NON_WORD_RE.split(word) if part)


def _emoji_name(char: str) -> str:
    name = unicodedata.name(char, "")
    if not name:
        return ""
    return "emoji_" + "_".join(name.lower().replace("-", " ").split())


# Words repeat a great deal across posts; remembering the last few thousand makes normalising several times faster.
@lru_cache(maxsize=50_000)
def _normalise_match(kind: str, raw: str) -> str:
    if kind == "url":
        return URL_PLACEHOLDER
    if kind == "mention":
        if _DISGUISED_HANDLE_RE.search(raw[1:]):
            return _word_forms(raw)
        return MENTION_PLACEHOLDER
    if kind == "hashtag":
        words = _CAMEL_RE.findall(raw[1:]) or [raw[1:]]
        return " ".join(_word_forms(word) for word in words)
    if kind == "spaced":
        return _word_forms(_SEPARATORS_RE.sub("", raw))
    if kind == "word":
        # "RT" opens a retweet; it says nothing about the post.
        return "" if raw == "RT" else _word_forms(raw)
    # A lone symbol: emoji and pictographs are kept as named tokens, punctuation dropped.
    if unicodedata.category(raw) in ("So", "Sk"):
        return _emoji_name(raw)
    return ""


def tokens(text: str) -> list[Token]:
    """The normalised tokens of ``text``, in order, each with the span it came from."""
    found = []
    for match in _TOKEN_RE.finditer(text):
        normalised = _normalise_match(match.lastgroup, match.group())
        if normalised:
            found.append(Token(normalised, match.start(), match.end()))
    return found


def normalise(text: str) -> str:
    """``text`` as the classifier reads it: normalised tokens joined by single spaces."""
    pieces = (_normalise_match(match.lastgroup, match.group()) for match in _TOKEN_RE.finditer(text))
    return " ".join(piece for piece in pieces if piece)
