import pytest
from django.core.management import CommandError, call_command

from triage.classifier.datasets import load_dataset
from triage.classifier.registry import active_scorer
from triage.models import ClassifierVersion

pytestmark = pytest.mark.django_db


def test_seed_corpus_is_deterministic_and_covers_every_category():
    from reports.models import Category

    first, second = load_dataset("seed", None), load_dataset("seed", None)
    assert first.sha256 == second.sha256
    labels = {example.label for example in first.examples}
    assert labels == {0, 1}
    targeted = {slug for example in first.examples for slug in example.categories}
    assert targeted == set(Category.objects.values_list("slug", flat=True))


def test_train_classifier_stores_an_active_version_with_metrics(settings, tmp_path, capsys):
    settings.MODEL_DIR = tmp_path
    call_command("train_classifier")
    record = ClassifierVersion.objects.get()
    assert record.is_active
    assert (tmp_path / record.artifact_path).is_file()
    assert record.metrics["held_out"]["roc_auc"] > 0.9
    assert record.training_data["datasets"][0]["name"] == "seed corpus"
    out = capsys.readouterr().out
    assert "Held-out: ROC-AUC" in out and record.version in out
    assert active_scorer().version == record.version


def test_train_if_none_does_nothing_when_a_model_is_active(active_model, capsys):
    call_command("train_classifier", "--if-none")
    assert ClassifierVersion.objects.count() == 1
    assert "nothing to train" in capsys.readouterr().out


def test_same_seed_gives_the_same_scores(settings, tmp_path):
    settings.MODEL_DIR = tmp_path
    call_command("train_classifier", "--seed", "3")
    call_command("train_classifier", "--seed", "3")
    from triage.classifier.registry import load_pipeline

    first, second = (load_pipeline(record) for record in ClassifierVersion.objects.order_by("created_at"))
    texts = ["they are vermin", "I live with two gay people", "lovely weather today"]
    assert first.predict_proba(texts).tolist() == second.predict_proba(texts).tolist()


def test_a_plain_csv_can_be_added(settings, tmp_path):
    settings.MODEL_DIR = tmp_path / "models"
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
        (["--dataset", "csv", "/nonexistent.csv"], "Cannot open"),
    ],
)
def test_bad_datasets_name_the_fix(args, message, settings, tmp_path):
    settings.MODEL_DIR = tmp_path
    with pytest.raises(CommandError, match=message):
        call_command("train_classifier", *args)


def test_a_csv_with_a_bad_label_names_the_line(settings, tmp_path):
    settings.MODEL_DIR = tmp_path
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nfine,0\nodd,maybe\n")
    with pytest.raises(CommandError, match="line 3: label must be 0 or 1"):
        call_command("train_classifier", "--dataset", "csv", str(bad))
