"""Training from named data, the dev measures, and the model shipped in the repository."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from triage.classifier import pipeline
from triage.classifier.datasets import DatasetError, load_dataset
from triage.classifier.dev import DATA_FILES, DevData, davidson_parts, scored_measures, suite_sha256
from triage.classifier.registry import ArtifactError, file_sha256, load_model
from triage.models import ClassifierVersion

pytestmark = pytest.mark.django_db

HATEFUL = [
    "all {g} are vermin and should be driven out",
    "{g} are a disease on this country",
    "get rid of every last one of the {g}",
    "the {g} are subhuman filth",
    "{g} should not be allowed near our children",
    "i hate {g}, they ruin everything",
]
NEUTRAL = [
    "my neighbours are {g} and we had tea today",
    "the {g} community centre opens on monday",
    "a report on {g} history was published",
    "{g} families joined the street party",
    "i met some {g} students at the library",
    "the council spoke with {g} leaders about buses",
]
GROUPS = ("women", "jewish", "muslim")


def _write(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_public_data(directory: Path) -> Path:
    """Small files in the public data sets' own formats, laid out as CLASSIFIER_DATA_DIR expects."""
    toxigen = [
        [template.format(g=group), label, group, f"{group}_1k.txt"]
        for group in GROUPS
        for templates, label in ((HATEFUL, "hateful"), (NEUTRAL, "neutral"))
        for template in templates
    ]
    _write(directory / DATA_FILES["toxigen"], ["text", "label", "target_group", "source_file"], toxigen)
    stormfront = []
    for number, (group, split) in enumerate([("migrants", "train"), ("refugees", "train"), ("foreigners", "test")]):
        for index, template in enumerate(HATEFUL + NEUTRAL):
            label = "hate" if index < len(HATEFUL) else "noHate"
            stormfront.append([f"{number}_{index}", 100 + index % 4, 1, 0, label, split, template.format(g=group)])
    stormfront.append(["x_1", 200, 1, 0, "relation", "train", "and that is why"])
    _write(
        directory / DATA_FILES["stormfront"],
        ["file_id", "user_id", "subforum_id", "num_contexts", "label", "split", "text"],
        stormfront,
    )
    davidson = []
    for index in range(60):
        kind = index % 3
        text = {0: "you {g} scum get out", 1: "this damn bus is late again", 2: "lovely weather for a walk"}[kind]
        davidson.append(
            [index, 3, int(kind == 0) * 3, int(kind == 1) * 3, int(kind == 2) * 3, kind, text.format(g="x")]
        )
    _write(
        directory / DATA_FILES["davidson"],
        ["", "count", "hate_speech", "offensive_language", "neither", "class", "tweet"],
        davidson,
    )
    return directory


@pytest.fixture
def public_data(settings, tmp_path) -> Path:
    directory = write_public_data(tmp_path / "public")
    settings.CLASSIFIER_DATA_DIR = directory
    return directory


@pytest.fixture
def shipped_dir(monkeypatch, tmp_path) -> Path:
    directory = tmp_path / "shipped"
    monkeypatch.setattr(pipeline, "SHIPPED_DIR", directory)
    monkeypatch.setattr(pipeline, "SHIPPED_ARTIFACT", directory / "public.skops")
    monkeypatch.setattr(pipeline, "SHIPPED_MANIFEST", directory / "public.json")
    return directory


def _forget_versions() -> None:
    """An empty registry, as in a fresh clone."""
    from triage.models import ClassifierActivation

    ClassifierActivation.objects.all().delete()
    ClassifierVersion.objects.all().delete()


def small_sources(directory: Path) -> list[pipeline.Source]:
    """The public recipe's files without the seed corpus, so a test trains in a second or two."""
    return [
        pipeline.Source("stormfront", str(directory / DATA_FILES["stormfront"])),
        pipeline.Source("toxigen", str(directory / DATA_FILES["toxigen"])),
        pipeline.Source("davidson", str(directory / DATA_FILES["davidson"])),
    ]


def test_a_version_carries_every_dev_measure_and_its_manifest(model_dir, public_data):
    record = pipeline.train_version(small_sources(public_data), seed=0, trained_by="tester", recipe="test")
    dev = record.metrics["dev"]
    assert dev["stormfront_test"]["examples"] == 12  # the test split only, never trained on
    assert set(dev["toxigen_logo"]["groups"]) == set(GROUPS)
    assert all(row["examples"] == 12 for row in dev["toxigen_logo"]["groups"].values())
    assert dev["davidson_held_out"]["examples"] == 12  # a fifth of 60 rows
    assert dev["functional"]["cases"] > 500
    davidson = record.training_data["datasets"][2]
    assert davidson["rows"] == 48 and davidson["left_out_for_dev"] == 12
    assert record.training_data["recipe"] == "test" and record.training_data["seed"] == 0
    assert record.is_active, "the first version becomes active"


def test_the_davidson_held_out_part_is_never_trained_on(public_data):
    loaded = load_dataset("davidson", str(public_data / DATA_FILES["davidson"]))
    train, held_out = davidson_parts(loaded)
    assert not set(train) & set(held_out) and len(train) + len(held_out) == 60
    (trained,) = pipeline.read_sources([pipeline.Source("davidson", str(public_data / DATA_FILES["davidson"]))])
    assert len(trained.examples) == len(train)
    assert davidson_parts(loaded) == (train, held_out), "the same rows on every run"


def test_the_same_data_and_seed_give_the_same_figures(model_dir, public_data):
    first = pipeline.train_version(small_sources(public_data), seed=3, trained_by="tester")
    second = pipeline.train_version(small_sources(public_data), seed=3, trained_by="tester")
    assert first.metrics["dev"] == second.metrics["dev"]
    texts = ["all of them are vermin", "lovely weather for a walk"]
    assert (load_model(first).predict_proba(texts) == load_model(second).predict_proba(texts)).all()


@pytest.mark.parametrize("fmt", ["functional", "stormfront-test"])
def test_measures_are_never_training_data(fmt, public_data):
    path = None if fmt == "functional" else str(public_data / DATA_FILES["stormfront"])
    with pytest.raises(DatasetError, match="never train on it"):
        pipeline.read_sources([pipeline.Source(fmt, path)])


def test_a_recipe_without_its_data_names_the_fix(tmp_path):
    with pytest.raises(DatasetError, match="CLASSIFIER_DATA_DIR"):
        pipeline.recipe_sources("public", tmp_path)
    assert pipeline.recipe_sources("light", tmp_path) == [pipeline.Source("seed")]


def test_without_public_data_only_the_functional_suite_is_measured(model_dir):
    record = pipeline.train_version([pipeline.Source("seed")], trained_by="tester")
    assert set(record.metrics["dev"]) == {"functional", "held_out", "data_sha256"}
    assert record.metrics["held_out"]["hateful"]["roc_auc"] > 0.7


def test_a_shipped_model_is_installed_checked_and_activated(model_dir, public_data, shipped_dir):
    trained = pipeline.train_version(small_sources(public_data), trained_by="tester", activate=False)
    pipeline.ship(trained)
    manifest = json.loads((shipped_dir / "public.json").read_text())
    assert manifest["sha256"] == file_sha256(shipped_dir / "public.skops") == trained.artifact_sha256
    assert manifest["metrics"]["dev"] == trained.metrics["dev"]
    _forget_versions()

    call_command("train_classifier", "--if-none")
    active = ClassifierVersion.objects.active()
    assert active.version == trained.version and active.training_data["shipped"] is True
    call_command("train_classifier", "--if-none")
    assert ClassifierVersion.objects.count() == 1, "installed once"

    (shipped_dir / "public.skops").write_bytes(b"not the model")
    _forget_versions()
    with pytest.raises(ArtifactError, match="does not match the SHA-256"):
        pipeline.install_shipped(by="tester")
    assert not ClassifierVersion.objects.exists()


def test_without_a_shipped_model_make_run_trains_the_light_one(model_dir, shipped_dir):
    call_command("train_classifier", "--if-none")
    active = ClassifierVersion.objects.active()
    assert active.training_data["recipe"] == "light"


def test_an_artifact_over_the_size_limit_is_not_shipped(model_dir, public_data, shipped_dir, monkeypatch):
    trained = pipeline.train_version(small_sources(public_data), trained_by="tester")
    monkeypatch.setattr(pipeline, "SHIPPED_MAX_BYTES", 10)
    with pytest.raises(DatasetError, match="over the"):
        pipeline.ship(trained)
    assert not (shipped_dir / "public.skops").exists()


def test_the_shipped_model_is_in_the_repository_within_its_size():
    manifest = pipeline.shipped_manifest()
    assert manifest is not None, "run `make model` to build the shipped model"
    assert pipeline.SHIPPED_ARTIFACT.stat().st_size == manifest["bytes"] <= pipeline.SHIPPED_MAX_BYTES
    assert file_sha256(pipeline.SHIPPED_ARTIFACT) == manifest["sha256"]
    training = manifest["training_data"]
    assert training["recipe"] == "public" and training["command"].startswith("manage.py train_classifier")
    assert {dataset["name"].split(" ")[0] for dataset in training["datasets"]} >= {"seed", "stormfront_sentences.csv"}
    assert all(dataset["sha256"] for dataset in training["datasets"])


def test_the_shipped_figures_come_from_the_shipped_artifact():
    """Where the public data sets are on this machine: scoring the shipped artifact again gives its manifest's
    Stormfront, Davidson and functional-suite figures."""
    base = Path(__file__).resolve().parents[3] / "shared" / "datasets"
    if not (base / DATA_FILES["stormfront"]).exists():
        pytest.skip(f"the public data sets are not at {base}")
    manifest = pipeline.shipped_manifest()
    model = pipeline.load_shipped_model()
    again = scored_measures(model.predict_proba, DevData.load(base))
    stored = manifest["metrics"]["dev"]
    for part in ("stormfront_test", "davidson_held_out"):
        assert again[part] == stored[part], part
    assert again["functional"]["macro_f1"] == stored["functional"]["macro_f1"]


def test_the_gate_compares_versions_on_the_public_dev_measures(model_dir, public_data):
    from triage.classifier.registry import ActivationRefused, activate_version, reference_comparison

    good = pipeline.train_version(small_sources(public_data), trained_by="tester")
    assert good.is_active
    # A model taught the opposite of the truth, on the whole Davidson file (its held-out part included).
    flipped = public_data / "flipped.csv"
    rows = [[e.text, 1 - e.label] for e in load_dataset("toxigen", str(public_data / DATA_FILES["toxigen"])).examples]
    _write(flipped, ["text", "label"], rows)
    worse = pipeline.train_version([pipeline.Source("csv", str(flipped))], trained_by="tester", activate=False)
    whole = load_dataset("davidson", str(public_data / DATA_FILES["davidson"]))
    worse.training_data["datasets"].append(whole.summary())
    worse.save()

    new, old = reference_comparison(worse, good)
    assert set(new) == set(old) == {"stormfront_macro_f1", "toxigen_logo_macro_f1", "functional_macro_f1"}, (
        "Davidson is left out for a version trained on the whole file"
    )
    with pytest.raises(ActivationRefused, match=r"on the dev measures .*stormfront macro f1 .*toxigen logo macro f1"):
        activate_version(worse.version, by="tester")
    assert ClassifierVersion.objects.active() == good


def test_a_retrained_version_can_be_compared_with_the_shipped_one_from_stored_figures():
    """The admin site compares stored figures taken on the same data: the shipped manifest records which."""
    data = pipeline.shipped_manifest()["metrics"]["dev"]["data_sha256"]
    assert data["functional suite"] == suite_sha256(), "the suite changed since `make model`: run it again"


def test_recipes_weigh_examples_by_data_set_and_class(public_data):
    seed, _, _, davidson = pipeline.read_sources([pipeline.Source("seed"), *small_sources(public_data)])
    assert {example.weight for example in seed.examples} == {pipeline.TRAINING_WEIGHTS["seed"]}
    weights = {
        kind: {
            example.weight for example, found in zip(davidson.examples, davidson.classes, strict=True) if found == kind
        }
        for kind in ("hate", "offensive", "neither")
    }
    assert weights == {
        "hate": {1.0},
        "offensive": {pipeline.TRAINING_WEIGHTS[("davidson", "offensive")]},
        "neither": {1.0},
    }
    assert davidson.summary()["training_weights"] == {"davidson/offensive": 0.1}


def test_weights_are_relative_and_move_the_model(public_data):
    from triage.classifier.model import HubClassifier
    from triage.classifier.training import fit

    examples = [example for loaded in pipeline.read_sources(small_sources(public_data)) for example in loaded.examples]
    columns = ([e.text for e in examples], [e.label for e in examples], [e.categories for e in examples])
    texts = ["you muslim scum get out", "lovely weather for a walk", "the jewish community centre opens on monday"]
    plain = HubClassifier(seed=0).fit(*columns).predict_proba(texts)
    scaled = HubClassifier(seed=0).fit(*columns, weights=[7.0] * len(examples)).predict_proba(texts)
    assert scaled == pytest.approx(plain), "the same weight on every example changes nothing"
    weighted = fit(HubClassifier(seed=0), examples).predict_proba(texts)
    assert weighted != pytest.approx(plain), "a tenth of Davidson's offensive class moves the scores"
    with pytest.raises(ValueError, match="same length"):
        HubClassifier(seed=0).fit(["a", "b"], [0, 1], [(), ()], weights=[1.0])


def test_a_model_trained_with_another_text_pipeline_is_refused_and_replaced(
    model_dir, public_data, shipped_dir, monkeypatch
):
    from triage.classifier import model, registry

    old = pipeline.train_version(small_sources(public_data), trained_by="tester", activate=True)
    assert old.training_data["text_pipeline"] == load_model(old).text_pipeline_ == model.text_pipeline()

    # A release that tags text differently: what ``old`` learnt from is gone.
    monkeypatch.setattr(model, "text_pipeline", lambda: "a later one")
    with pytest.raises(ArtifactError, match="earlier text pipeline"):
        load_model(old)
    assert "earlier text pipeline" in registry.scoring_problem()

    shipped = pipeline.train_version(small_sources(public_data), trained_by="tester", activate=False)
    pipeline.ship(shipped)
    call_command("train_classifier", "--if-none")
    assert ClassifierVersion.objects.active().pk == shipped.pk
    assert registry.scoring_problem() is None


def test_the_shipped_model_was_trained_with_this_releases_text_pipeline():
    from triage.classifier.model import text_pipeline

    manifest = pipeline.shipped_manifest()
    assert manifest["training_data"]["text_pipeline"] == text_pipeline(), "run `make model` to retrain it"
