import csv
import tracemalloc

import pytest
from django.core.management import CommandError, call_command

from triage.classifier.datasets import load_dataset
from triage.classifier.registry import active_scorer, load_model
from triage.models import ClassifierActivation, ClassifierVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_sample_csv(tmp_path):
    """A fifth of the seed corpus as a plain CSV: the real pipeline, trained in a second."""
    path = tmp_path / "sample.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label", "categories"])
        for example in load_dataset("seed", None).examples[::5]:
            writer.writerow([example.text, example.label, ";".join(example.categories)])
    return path


@pytest.fixture
def models_in_tmp(settings, tmp_path):
    settings.MODEL_DIR = tmp_path / "models"
    return settings.MODEL_DIR


def test_seed_corpus_is_deterministic_and_covers_every_category():
    from reports.models import Category

    first, second = load_dataset("seed", None), load_dataset("seed", None)
    assert first.sha256 == second.sha256
    assert {example.label for example in first.examples} == {0, 1}
    targeted = {slug for example in first.examples for slug in example.categories}
    assert targeted == set(Category.objects.values_list("slug", flat=True))


def test_train_classifier_stores_an_active_version_with_its_metrics_and_data(models_in_tmp, capsys):
    call_command("train_classifier")
    record = ClassifierVersion.objects.get()
    assert record.is_active
    assert (models_in_tmp / record.artifact_path).is_file()
    held_out = record.metrics["held_out"]
    # Measured on templates the model never saw (the split keeps each template on one side): about 0.76, since
    # held-out slur templates meet slurs it saw only in other templates, hateful and counter-speech alike.
    assert held_out["hateful"]["roc_auc"] > 0.7
    assert {"precision", "recall", "f1", "macro_f1"} <= set(held_out["hateful"])
    assert set(held_out["categories"]) == set(load_model(record).categories_)
    assert len(held_out["categories"]) == 8
    assert all(group["fpr"] is not None for group in held_out["groups"].values())
    assert set(record.functional["by_phenomenon"]) >= {"negated_hate", "dehumanising", "spelling_tricks"}
    assert record.functional["cases"] > 500
    source = record.training_data["datasets"][0]
    assert source["name"] == "seed corpus" and len(source["sha256"]) == 64 and source["rows"] > 1000
    assert record.trained_by
    assert ClassifierActivation.objects.get().version == record
    out = capsys.readouterr().out
    assert "Functional suite" in out and "category race" in out and record.version in out
    assert active_scorer().version == record.version


def test_train_if_none_does_nothing_when_a_model_is_active(active_model, capsys):
    call_command("train_classifier", "--if-none")
    assert ClassifierVersion.objects.count() == 1
    assert "nothing to train" in capsys.readouterr().out


def test_training_is_reproducible(models_in_tmp, seed_sample_csv):
    for _ in range(2):
        call_command("train_classifier", "--dataset", "csv", str(seed_sample_csv), "--seed", "3")
    first, second = ClassifierVersion.objects.order_by("created_at", "pk")
    assert first.metrics["held_out"] == second.metrics["held_out"]
    texts = ["they are vermin", "I live with two gay people", "lovely weather today", "k1ll all of them"]
    scored = [load_model(record).score(texts) for record in (first, second)]
    assert scored[0] == scored[1]


def test_a_plain_csv_can_be_added(models_in_tmp, tmp_path):
    extra = tmp_path / "extra.csv"
    extra.write_text("text,label\nthey are a plague on this town,1\nthe weather is a plague this week,0\n")
    call_command("train_classifier", "--dataset", "seed", "--dataset", "csv", str(extra))
    sources = ClassifierVersion.objects.get().training_data["datasets"]
    assert [source["name"] for source in sources] == ["seed corpus", "extra.csv"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dataset", "parquet", "x"], "Unknown data set format"),
        (["--dataset", "csv"], "needs a path"),
        (["--dataset", "seed", "x.csv"], "takes no path"),
        (["--dataset", "csv", "/nonexistent.csv"], "Cannot open"),
        (["--dataset", "functional"], "never train on it"),
    ],
)
def test_bad_datasets_name_the_fix(args, message, models_in_tmp):
    with pytest.raises(CommandError, match=message):
        call_command("train_classifier", *args)
    assert not ClassifierVersion.objects.exists()


def test_a_csv_with_a_bad_label_names_the_line(models_in_tmp, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nfine,0\nodd,maybe\n")
    with pytest.raises(CommandError, match="line 3: label must be 0 or 1"):
        call_command("train_classifier", "--dataset", "csv", str(bad))


def test_evaluate_classifier_measures_any_data_and_records_it(active_model, tmp_path, capsys):
    data = tmp_path / "check.csv"
    data.write_text(
        "text,label\nMuslims are vermin and should be driven out,1\nlovely weather today,0\n"
        "trans people are predators,1\nmy neighbours are gay and lovely,0\n"
    )
    call_command("evaluate_classifier", "seed-test", "--dataset", "csv", str(data))
    out = capsys.readouterr().out
    assert "hateful: ROC-AUC" in out and "Functional suite" in out and "dehumanising" in out
    active_model.refresh_from_db()
    (evaluation,) = active_model.metrics["evaluations"].values()
    assert evaluation["hateful"]["examples"] == 4
    assert evaluation["dataset"]["name"] == "check.csv"


def test_evaluate_an_unknown_version_says_how_to_list_them(active_model):
    with pytest.raises(CommandError, match="activate_model --list"):
        call_command("evaluate_classifier", "no-such-version")


@pytest.fixture
def weaker_version(models_in_tmp, tmp_path, active_model, settings):
    """A version trained on forty sentences: stored, not active, and worse on the reference set."""
    from triage.classifier.datasets import load_dataset as load
    from triage.classifier.model import HubClassifier
    from triage.classifier.registry import save_version
    from triage.classifier.training import fit

    settings.MODEL_DIR = active_model_dir = models_in_tmp.parent / "models"  # the active model's folder
    assert (active_model_dir / active_model.artifact_path).is_file()
    examples = load("seed", None).examples[::120]
    return save_version(
        fit(HubClassifier(seed=0), examples), metrics={}, training_data={}, trained_by="test", activate=False
    )


def test_activation_refuses_a_worse_version_and_says_why(weaker_version, active_model):
    with pytest.raises(
        CommandError,
        match=r"worse than the active model seed-test on the dev measures.*functional macro f1.*--force",
    ):
        call_command("activate_model", weaker_version.version)
    assert ClassifierVersion.objects.active() == active_model
    assert not ClassifierActivation.objects.exists()


def test_forcing_a_worse_version_needs_a_reason_and_is_recorded(weaker_version, active_model):
    with pytest.raises(CommandError, match="needs a --reason"):
        call_command("activate_model", weaker_version.version, "--force")
    call_command("activate_model", weaker_version.version, "--force", "--reason", "testing a rollback drill")
    assert ClassifierVersion.objects.active() == weaker_version
    history = ClassifierActivation.objects.get()
    assert (history.version, history.previous, history.forced) == (weaker_version, active_model, True)
    assert history.reason == "testing a rollback drill" and history.activated_by


def test_a_tampered_artifact_is_refused_and_the_previous_version_stays_active(weaker_version, active_model, settings):
    from pathlib import Path

    artifact = Path(settings.MODEL_DIR) / weaker_version.artifact_path
    artifact.write_bytes(artifact.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(CommandError, match="does not match its recorded SHA-256.*stays as it was"):
        call_command("activate_model", weaker_version.version, "--force", "--reason", "x")
    assert ClassifierVersion.objects.active() == active_model
    assert active_scorer().version == active_model.version


def test_activating_a_better_version_switches_and_the_next_score_uses_it(active_model, models_in_tmp, settings):
    from triage.classifier.model import HubClassifier
    from triage.classifier.registry import save_version
    from triage.classifier.training import fit

    settings.MODEL_DIR = models_in_tmp.parent / "models"
    assert active_scorer().version == "seed-test"
    same = save_version(
        fit(HubClassifier(seed=0), load_dataset("seed", None).examples),
        metrics={},
        training_data={},
        trained_by="test",
        activate=False,
    )
    call_command("activate_model", same.version)
    assert ClassifierVersion.objects.active() == same
    assert active_scorer().version == same.version
    history = ClassifierActivation.objects.get()
    assert (history.previous, history.forced) == (active_model, False)
    from hubsite.models import AuditEvent

    audited = AuditEvent.objects.get(action=AuditEvent.Action.MODEL_ACTIVATED)
    assert audited.object_id == str(same.pk) and audited.detail["previous"] == "seed-test"


@pytest.mark.parametrize(
    ("args", "message"),
    [(["no-such-version"], "no model version 'no-such-version'"), (["seed-test"], "already active")],
)
def test_activation_of_a_wrong_version_says_so(active_model, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("activate_model", *args)


def test_activate_model_lists_versions(active_model, capsys):
    call_command("activate_model", "--list")
    assert "* seed-test" in capsys.readouterr().out


def _write_posts(path, rows: int) -> None:
    texts = ["Muslims are vermin and should go", "lovely weather today", 'she said "hi", then left']
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        for index in range(rows):
            writer.writerow([index, texts[index % len(texts)]])


def test_score_texts_adds_score_and_categories_and_keeps_every_column(active_model, tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    _write_posts(source, 7)
    call_command("score_texts", "--input", str(source), "--text-column", "text", "--output", str(target))
    rows = list(csv.DictReader(target.open()))
    assert [row["id"] for row in rows] == [str(index) for index in range(7)]
    assert rows[2]["text"] == 'she said "hi", then left'
    assert all(0.0 <= float(row["score"]) <= 1.0 for row in rows)
    assert float(rows[0]["score"]) > float(rows[1]["score"])
    assert rows[0]["categories"].split(";")[0] == "anti-muslim"
    assert rows[1]["categories"] == ""


def test_score_texts_names_a_missing_column(active_model, tmp_path):
    source = tmp_path / "in.csv"
    _write_posts(source, 2)
    with pytest.raises(CommandError, match=r"no column 'body' \(its columns: id, text\)"):
        call_command("score_texts", "--input", str(source), "--text-column", "body", "--output", str(tmp_path / "o"))


def test_score_texts_memory_does_not_grow_with_the_rows(active_model, tmp_path):
    peaks = {}
    for rows in (1_000, 10_000):
        source = tmp_path / f"in-{rows}.csv"
        _write_posts(source, rows)
        tracemalloc.start()
        call_command("score_texts", "--input", str(source), "--output", str(tmp_path / "out.csv"))
        peaks[rows] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peaks[10_000] < peaks[1_000] * 1.3, peaks


def test_explanations_point_at_the_words_that_raised_the_score(active_model):
    from triage.classifier.registry import active_scorer as scorer

    text = "Honestly, Muslims are vermin and should be driven out."
    spans = scorer().explain(text)
    assert spans, "a hateful sentence has words that push its score up"
    assert all(0 <= span["start"] < span["end"] <= len(text) for span in spans)
    pushed_up = " ".join(text[span["start"] : span["end"]] for span in spans if span["weight"] > 0).lower()
    assert "vermin" in pushed_up
