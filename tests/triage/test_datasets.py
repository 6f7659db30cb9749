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


STORMFRONT_HEADER = "file_id,user_id,subforum_id,num_contexts,label,split,text\n"


def test_stormfront_reads_one_split_keeps_writers_and_counts_what_it_leaves_out(tmp_path):
    path = tmp_path / "stormfront.csv"
    path.write_text(
        STORMFRONT_HEADER + "1_1,101,5,0,hate,train,They are animals and should be removed\n"
        "1_2,101,5,0,noHate,train,Nice weather in the valley today\n"
        "1_3,102,5,1,relation,train,and the same goes for them\n"
        "1_4,103,5,0,idk/skip,train,what\n"
        '1_5,104,5,0,hate,test,"Send them all back, every one"\n'
        "1_6,105,5,0,noHate,test,I went fishing with my brother\n"
    )
    train = load_dataset("stormfront", str(path))
    assert [(example.label, example.text) for example in train.examples] == [
        (1, "They are animals and should be removed"),
        (0, "Nice weather in the valley today"),
    ]
    assert [example.together for example in train.examples] == ["stormfront writer 101"] * 2, "kept together"
    assert all(example.categories is None for example in train.examples)
    summary = train.summary()
    assert summary["left_out"] == {"relation": 1, "idk/skip": 1} and summary["other_split"] == 2
    assert summary["split"] == "train" and summary["classes"] == {"hate": 1, "noHate": 1}

    test = load_dataset("stormfront-test", str(path))
    assert [example.label for example in test.examples] == [1, 0]
    assert test.examples[0].text == "Send them all back, every one"
    assert test.summary()["left_out"] == {"relation": 0, "idk/skip": 0}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("1_1,101,5,0,maybe,train,x", "line 2: label must be hate, noHate, relation or idk/skip"),
        ("1_1,101,5,0,hate,dev,x", "line 2: split must be train or test"),
    ],
)
def test_stormfront_with_a_bad_row_names_the_line(tmp_path, row, message):
    path = tmp_path / "stormfront.csv"
    path.write_text(STORMFRONT_HEADER + row + "\n")
    with pytest.raises(DatasetError, match=message):
        load_dataset("stormfront", str(path))


def test_stormfront_without_its_columns_says_which(tmp_path):
    path = tmp_path / "stormfront.csv"
    path.write_text("text,label\nhello,noHate\n")
    with pytest.raises(DatasetError, match="split"):
        load_dataset("stormfront", str(path))


def test_toxigen_maps_target_groups_to_our_categories_and_keeps_the_group(tmp_path):
    path = tmp_path / "toxigen.csv"
    path.write_text(
        "text,label,target_group,source_file\n"
        "jews control the banks,hateful,jewish,prompts/hate_jewish_1k.txt\n"
        "many disabled people live full lives,neutral,physical_disability,prompts/neutral_phys_1k.txt\n"
        "women should not be allowed to vote,hateful,women,prompts/hate_women_1k.txt\n"
        "they come from the moon,hateful,martians,prompts/hate_martians_1k.txt\n"
    )
    loaded = load_dataset("toxigen", str(path))
    assert [example.label for example in loaded.examples] == [1, 0, 1, 1]
    assert [example.categories for example in loaded.examples] == [("antisemitic",), (), ("misogyny",), None]
    assert [example.together for example in loaded.examples] == [
        "toxigen jewish",
        "toxigen physical_disability",
        "toxigen women",
        "toxigen martians",
    ]
    assert loaded.summary()["unmapped_groups"] == {"martians": 1}


def test_toxigen_with_a_bad_label_names_the_line(tmp_path):
    path = tmp_path / "toxigen.csv"
    path.write_text("text,label,target_group\nsomething,toxic,women\n")
    with pytest.raises(DatasetError, match="line 2: label must be hateful or neutral"):
        load_dataset("toxigen", str(path))


@pytest.mark.parametrize("fmt", ["stormfront", "stormfront-test", "toxigen"])
def test_the_real_files_load_when_they_are_here(fmt):
    """Against ../shared/datasets where present: the row counts its README gives."""
    from pathlib import Path

    base = Path(__file__).resolve().parents[3] / "shared" / "datasets"
    path = {
        "stormfront": base / "stormfront2018" / "stormfront_sentences.csv",
        "stormfront-test": base / "stormfront2018" / "stormfront_sentences.csv",
        "toxigen": base / "toxigen_seed_sentences" / "toxigen_seed_sentences.csv",
    }[fmt]
    if not path.exists():
        pytest.skip(f"{path} is not on this machine")
    loaded = load_dataset(fmt, str(path))
    expected = {"stormfront": (10225, 957), "stormfront-test": (478, 239), "toxigen": (722, 425)}[fmt]
    assert (len(loaded.examples), sum(example.label for example in loaded.examples)) == expected


def test_the_held_out_split_never_puts_one_template_or_writer_on_both_sides():
    from triage.classifier.seed_corpus import Example, seed_examples
    from triage.classifier.training import split

    examples = seed_examples()
    assert sum(example.together is not None for example in examples) > 0.9 * len(examples)
    train, test = split(examples, test_size=0.2, seed=0)
    assert len(train) + len(test) == len(examples)
    shared = {e.together for e in train if e.together} & {e.together for e in test if e.together}
    assert not shared, f"{len(shared)} templates on both sides"
    assert 0.1 < len(test) / len(examples) < 0.3
    assert {example.label for example in test} == {0, 1}
    assert split(examples, test_size=0.2, seed=0) == (train, test), "the same for the same seed"

    writers = [Example(f"sentence {n}", n % 2, None, together=f"writer {n % 10}") for n in range(100)]
    train, test = split(writers, test_size=0.2, seed=1)
    assert not {e.together for e in train} & {e.together for e in test}
