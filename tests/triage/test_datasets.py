import json

import pytest

from tests.factories import ReportFactory
from triage.classifier.datasets import DatasetError, load_dataset
from triage.models import Case


def test_davidson_marks_hate_speech_as_hateful_and_keeps_the_three_classes(tmp_path):
    path = tmp_path / "davidson.csv"
    path.write_text(
        ",count,hate_speech,offensive_language,neither,class,tweet\n"
        "0,3,3,0,0,0,they are vermin &amp; should go\n"
        "1,3,0,3,0,1,what a stupid game\n"
        "2,3,0,0,3,2,lovely weather\n"
    )
    loaded = load_dataset("davidson", str(path))
    assert [example.label for example in loaded.examples] == [1, 0, 0]
    assert loaded.examples[0].text == "they are vermin & should go"
    assert loaded.classes == ["hate", "offensive", "neither"]
    assert all(example.categories is None for example in loaded.examples)
    assert loaded.summary()["classes"] == {"hate": 1, "neither": 1, "offensive": 1}


def test_davidson_with_a_bad_class_names_the_line(tmp_path):
    path = tmp_path / "davidson.csv"
    path.write_text(",count,hate_speech,offensive_language,neither,class,tweet\n0,3,3,0,0,7,odd\n")
    with pytest.raises(DatasetError, match="line 2: class must be 0, 1 or 2"):
        load_dataset("davidson", str(path))


def _annotator(label, *targets):
    return {"label": label, "annotator_id": 1, "target": list(targets)}


def test_hatexplain_takes_the_majority_and_targets_named_twice(tmp_path):
    posts = {
        "1": {
            "post_id": "1",
            "annotators": [
                _annotator("hatespeech", "Islam", "Women"),
                _annotator("hatespeech", "Islam"),
                _annotator("offensive", "Women"),
            ],
            "post_tokens": ["they", "are", "vermin"],
        },
        "2": {
            "post_id": "2",
            "annotators": [_annotator("normal", "None"), _annotator("normal"), _annotator("offensive")],
            "post_tokens": ["nice", "day"],
        },
        "3": {
            "post_id": "3",
            "annotators": [_annotator("normal"), _annotator("offensive"), _annotator("hatespeech", "Jewish")],
            "post_tokens": ["no", "majority"],
        },
    }
    path = tmp_path / "dataset.json"
    path.write_text(json.dumps(posts))
    loaded = load_dataset("hatexplain", str(path))
    assert [(e.text, e.label, e.categories) for e in loaded.examples] == [
        ("they are vermin", 1, ("anti-muslim", "misogyny")),
        ("nice day", 0, ()),
    ]
    assert loaded.classes == ["hatespeech", "normal"]
    assert loaded.summary()["undecided"] == 1


def test_hatexplain_that_is_not_json_says_so(tmp_path):
    path = tmp_path / "dataset.json"
    path.write_text("text,label\n")
    with pytest.raises(DatasetError, match="not valid JSON"):
        load_dataset("hatexplain", str(path))


def test_plain_csv_categories_are_checked(tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text("text,label,categories\nthey are vermin,1,race;misogyny\nnice day,0,\nodd,1,martians\n")
    with pytest.raises(DatasetError, match="line 4: unknown category 'martians'"):
        load_dataset("csv", str(path))
    path.write_text("text,label,categories\nthey are vermin,1,race;misogyny\nnice day,0,\n")
    assert [e.categories for e in load_dataset("csv", str(path)).examples] == [("race", "misogyny"), ()]


def test_a_plain_csv_without_categories_leaves_targets_unknown(tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text("text,label\nthey are vermin,1\n")
    assert load_dataset("csv", str(path)).examples[0].categories is None


@pytest.mark.django_db
def test_officers_decisions_become_labels():
    from reports.models import Category

    dismissed = ReportFactory(captured_text="just a joke about the weather").case
    dismissed.status = Case.Status.DISMISSED
    dismissed.save()
    referred = ReportFactory(captured_text="they should all be driven out").case
    referred.status = Case.Status.REFERRED
    referred.save()
    referred.categories.set(Category.objects.filter(slug__in=["race", "anti-muslim"]))
    unlabelled = ReportFactory(captured_text="reported to the platform, no categories chosen").case
    unlabelled.status = Case.Status.REPORTED_TO_PLATFORM
    unlabelled.save()
    ReportFactory(captured_text="still waiting for review")

    loaded = load_dataset("decisions", None)
    by_text = {example.text: example for example in loaded.examples}
    assert set(by_text) == {
        "just a joke about the weather",
        "they should all be driven out",
        "reported to the platform, no categories chosen",
    }
    assert (by_text["just a joke about the weather"].label, by_text["just a joke about the weather"].categories) == (
        0,
        (),
    )
    assert by_text["they should all be driven out"].label == 1
    assert by_text["they should all be driven out"].categories == ("anti-muslim", "race")
    assert by_text["reported to the platform, no categories chosen"].categories is None


@pytest.mark.django_db
def test_no_decisions_yet_says_so():
    with pytest.raises(DatasetError, match="no usable rows"):
        load_dataset("decisions", None)
