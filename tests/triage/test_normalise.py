import pytest

from triage.classifier.normalise import normalise, tokens


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Muslims are v3rm1n", "muslims are vermin"),
        ("they are @n1mals", "they are animals"),
        ("thanks @nimals for the lift", "thanks mention for the lift"),
        ("they are v e r m i n!!", "they are vermin"),
        ("k.i.l.l them", "kill them"),
        ("g e t  r i d of them", "get rid of them"),
        ("verrrrmin, sooooo", "verrmin soo"),
        ("#SendThemBack now", "send them back now"),
        ("RT @someone123: look https://example.com/p?id=1", "mention look url"),
        ("ｖｅｒｍｉｎ", "vermin"),
        ("ver\u200bmin", "vermin"),
        ("f*cking hell", "fcking hell"),
        ("Don't be daft 😂", "dont be daft emoji_face_with_tears_of_joy"),
        ("Zoë's café", "zoes cafe"),
        ("ran 10k in 2024", "ran 10k in 2024"),
    ],
)
def test_tricks_are_undone(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize("raw", ["They are v e r m i n", "#SendThemBack @n1mals", "gr8 g4me l4st n1ght 😂"])
def test_normalising_twice_changes_nothing(raw):
    assert normalise(normalise(raw)) == normalise(raw)


def test_every_token_keeps_the_span_it_came_from():
    text = "Honestly, #SendThemBack: they are v e r m i n"
    found = tokens(text)
    assert [token.text for token in found] == ["honestly", "send them back", "they", "are", "vermin"]
    assert [text[token.start : token.end] for token in found] == [
        "Honestly",
        "#SendThemBack",
        "they",
        "are",
        "v e r m i n",
    ]
