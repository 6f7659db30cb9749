"""Stored classifier versions: saving an artifact, and loading the active one.

Artifacts are written with skops, whose loader runs no code from the file;
we also record each file's SHA-256 and check it before every load, so a file
changed on disk is refused rather than trusted. A process keeps the models it
has loaded, keyed by version, and asks the database which version is active
on each use: activating another version takes effect without a restart.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hubsite.audit import audit_record
from hubsite.models import AuditEvent
from triage.models import ClassifierActivation, ClassifierVersion

logger = logging.getLogger(__name__)

# Types a Hub artifact may contain. Anything else in a file is refused on load.
_TRUSTED_PREFIXES = (
    "sklearn.",
    "numpy.",
    "scipy.",
    "builtins.",
    "triage.classifier.model.",
    "triage.classifier.concepts.",
)
# A candidate may fall this far below the active model's mean headline dev measure and still be activated.
ACTIVATION_TOLERANCE = 0.005

_cache: dict[str, object] = {}
_cache_lock = threading.Lock()


class ArtifactError(Exception):
    """A model artifact that is missing, altered or unreadable."""


class ActivationRefused(Exception):
    """A version that may not become active; the message says why and what to do."""


@dataclass(frozen=True)
class Scorer:
    version: str
    model: object

    def score(self, text: str) -> float:
        """Probability in [0, 1] that ``text`` is hateful."""
        return self.score_many([text])[0].score

    def score_many(self, texts: list[str]) -> list:
        """A ``Scoring`` (probability hateful, probability per category) for each text, in one pass."""
        return self.model.score(texts)

    def explain(self, text: str) -> list[dict]:
        return self.model.explain(text)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save_version(
    model, *, metrics: dict, training_data: dict, trained_by: str, activate: bool, feature_set: str = "tfidf"
) -> ClassifierVersion:
    """Write the artifact and record the version. With ``activate`` it becomes active at once,
    without comparison: the first model, or one an operator asked for by name."""
    import skops.io

    model_dir = Path(settings.MODEL_DIR)
    model_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    staging = model_dir / f".{stamp}.skops.partial"
    skops.io.dump(model, staging)
    sha = file_sha256(staging)
    version = f"{stamp}-{sha[:8]}"
    final = model_dir / f"{version}.skops"
    staging.replace(final)
    with transaction.atomic():
        record = ClassifierVersion.objects.create(
            version=version,
            artifact_path=final.name,
            artifact_sha256=sha,
            metrics=metrics,
            training_data={**training_data, "text_pipeline": getattr(model, "text_pipeline_", None)},
            trained_by=trained_by,
            feature_set=feature_set,
        )
        if activate:
            _switch(record, by=trained_by, forced=False, reason="")
            record.refresh_from_db()
    return record


def load_model(record: ClassifierVersion):
    """Load a version's artifact after checking its checksum and the types it holds."""
    import skops.io

    path = Path(settings.MODEL_DIR) / record.artifact_path
    if not path.is_file():
        raise ArtifactError(
            f"Model {record.version}: artifact {path} is missing. "
            "Train a new model with `manage.py train_classifier` or restore the file."
        )
    if file_sha256(path) != record.artifact_sha256:
        raise ArtifactError(
            f"Model {record.version}: artifact {path} does not match its recorded SHA-256; refusing it. "
            "Restore the original file or train a new version."
        )
    try:
        untrusted = skops.io.get_untrusted_types(file=path)
    except Exception as exc:  # skops raises several kinds for a file that is not an artifact
        raise ArtifactError(f"Model {record.version}: artifact {path} cannot be read ({exc}); refusing it.") from exc
    unexpected = [name for name in untrusted if not name.startswith(_TRUSTED_PREFIXES)]
    if unexpected:
        raise ArtifactError(f"Model {record.version}: artifact holds unexpected types {unexpected}; refusing it.")
    model = skops.io.load(path, trusted=untrusted)
    stale = _stale_text_pipeline(record, getattr(model, "text_pipeline_", None))
    if stale:
        raise ArtifactError(stale)
    return model


def stale(record: ClassifierVersion) -> bool:
    """Whether ``record`` was trained with a text pipeline this release no longer has (read from its record)."""
    return bool(_stale_text_pipeline(record, record.training_data.get("text_pipeline")))


def _stale_text_pipeline(record: ClassifierVersion, trained_with: str | None) -> str:
    """Why ``record`` would no longer score as it was measured (its text pipeline is not this release's); ""
    when it would."""
    from triage.classifier.model import text_pipeline

    if trained_with == text_pipeline():
        return ""
    return (
        f"Model {record.version} was trained with an earlier text pipeline (how posts are normalised and which "
        "concepts are tagged), so its scores would not be the ones measured; refusing it. Activate the model "
        "shipped with this release (`manage.py train_classifier --if-none` installs it) or train a new one."
    )


def _comparable(measures: dict, record: ClassifierVersion, davidson_sha256: str | None) -> dict[str, float]:
    """The headline dev measures of ``record`` that say something: a Davidson figure of a version trained on
    the whole Davidson file (held-out part included) is left out, as is a ToxiGen figure it never measured."""
    from triage.classifier.dev import headlines

    stored = record.metrics.get("dev") or {}
    found = headlines({**measures, "toxigen_logo": stored.get("toxigen_logo")})
    seen = {dataset.get("sha256") for dataset in record.training_data.get("datasets", [])}
    if davidson_sha256 and davidson_sha256 in seen:
        found.pop("davidson_hate_roc_auc", None)
    return found


def _shared(new: dict, old: dict) -> tuple[dict, dict]:
    keys = sorted(set(new) & set(old))
    return {key: new[key] for key in keys}, {key: old[key] for key in keys}


def stored_comparison(candidate: ClassifierVersion, active: ClassifierVersion) -> tuple[dict, dict] | None:
    """Both versions' headline dev measures as stored, when both were taken on the same data (the same public
    files and the same functional suite); None otherwise. Reads no model: what a web process may do."""
    new = candidate.metrics.get("dev") or {}
    old = active.metrics.get("dev") or {}
    data = new.get("data_sha256")
    if not data or data != old.get("data_sha256"):
        return None
    davidson = data.get("davidson")
    return _shared(_comparable(new, candidate, davidson), _comparable(old, active, davidson))


def reference_comparison(candidate: ClassifierVersion, active: ClassifierVersion) -> tuple[dict, dict]:
    """Both versions' headline dev measures, on what both can be compared on.

    Stormfront, Davidson and the functional suite are scored now for both models (from the public data
    where CLASSIFIER_DATA_DIR holds it); ToxiGen leave-one-group-out needs the recipe, so it comes from
    the figures stored when each was trained and counts only when both have it."""
    from triage.classifier.datasets import DatasetError
    from triage.classifier.dev import DevData, scored_measures

    try:
        data = DevData.load()
    except DatasetError:
        data = None
    davidson = data.sha256["davidson"] if data is not None else None
    new = _comparable(scored_measures(load_model(candidate).predict_proba, data), candidate, davidson)
    old = _comparable(scored_measures(load_model(active).predict_proba, data), active, davidson)
    return _shared(new, old)


def _mean(figures: dict[str, float]) -> float:
    return sum(figures.values()) / len(figures) if figures else 0.0


def _artifact_sound(record: ClassifierVersion) -> None:
    """The artifact is there and matches its checksum; ArtifactError otherwise. Loads nothing."""
    path = Path(settings.MODEL_DIR) / record.artifact_path
    if not path.is_file():
        raise ArtifactError(f"Model {record.version}: artifact {path} is missing.")
    if file_sha256(path) != record.artifact_sha256:
        raise ArtifactError(f"Model {record.version}: artifact {path} does not match its recorded SHA-256.")


def activate_version(
    version: str, *, by: str, force: bool = False, reason: str = "", from_stored: bool = False
) -> ClassifierVersion:
    """Make ``version`` the active model, atomically; running workers use it for their next report.

    The candidate's artifact must load (checksum and types checked). A candidate
    that measures worse than the active model on the dev measures is refused
    unless ``force`` is given, and the refusal says by how much.

    With ``from_stored`` (the admin site: a web process loads no model) the candidate's file is checked
    against its checksum only, and the versions are compared on the dev measures stored with them, which
    must have been taken on the same data; otherwise the refusal says to compare them on the command line.
    """
    try:
        candidate = ClassifierVersion.objects.get(version=version)
    except ClassifierVersion.DoesNotExist:
        known = ", ".join(ClassifierVersion.objects.values_list("version", flat=True)[:10]) or "none yet"
        raise ActivationRefused(f"There is no model version {version!r}. Known versions: {known}.") from None
    active = ClassifierVersion.objects.active()
    if active is not None and active.pk == candidate.pk:
        raise ActivationRefused(f"Model {version} is already active.")
    try:
        _artifact_sound(candidate) if from_stored else load_model(candidate)
    except ArtifactError as exc:
        raise ActivationRefused(f"{exc} The active model stays as it was.") from exc
    worse = False
    if active is not None:
        if from_stored:
            compared = stored_comparison(candidate, active)
            if compared is None and not force:
                raise ActivationRefused(
                    f"Model {version} and the active model {active.version} were not measured on the same data, "
                    f"so they cannot be compared here. Compare them where the data is: "
                    f"`manage.py activate_model {version}`. Activate it anyway with --force and a --reason."
                )
            worse = compared is None
        else:
            try:
                compared = reference_comparison(candidate, active)
            except ArtifactError:
                logger.warning(
                    "The active model %s cannot be loaded; activating %s without comparison", active, version
                )
                compared = None
        if compared is not None:
            new, old = compared
            worse = _mean(new) < _mean(old) - ACTIVATION_TOLERANCE
            if worse and not force:
                figures = "; ".join(f"{key.replace('_', ' ')} {new[key]:.3f} against {old[key]:.3f}" for key in new)
                raise ActivationRefused(
                    f"Model {version} is worse than the active model {active.version} on the dev measures "
                    f"(mean {_mean(new):.3f} against {_mean(old):.3f}: {figures}). "
                    "Activate it anyway with --force and a --reason."
                )
    with transaction.atomic():
        current = ClassifierVersion.objects.select_for_update().filter(is_active=True).first()
        if current is not None and active is not None and current.pk != active.pk:
            raise ActivationRefused(
                f"Model {current.version} was activated by someone else while {version} was being compared. Try again."
            )
        _switch(candidate, by=by, forced=worse, reason=reason)
    candidate.refresh_from_db()
    return candidate


def _switch(record: ClassifierVersion, *, by: str, forced: bool, reason: str) -> None:
    """Within a transaction: deactivate the current model, activate ``record``, record who did it."""
    previous = ClassifierVersion.objects.select_for_update().filter(is_active=True).exclude(pk=record.pk).first()
    ClassifierVersion.objects.filter(is_active=True).exclude(pk=record.pk).update(is_active=False)
    ClassifierVersion.objects.filter(pk=record.pk).update(is_active=True, activated_at=timezone.now())
    ClassifierActivation.objects.create(
        version=record, previous=previous, activated_by=by, forced=forced, reason=reason
    )
    audit_record(
        AuditEvent.Action.MODEL_ACTIVATED,
        target=record,
        summary=f"Model {record.version} activated by {by}"
        + (" (forced)" if forced else "")
        + (f": {reason}" if reason else ""),
        previous=previous.version if previous else None,
        forced=forced,
    )


def forget_loaded_models() -> None:
    """Drop the models this process holds, so the next use loads from disk again."""
    with _cache_lock:
        _cache.clear()


def active_scorer() -> Scorer | None:
    """The active model, loaded once per process; None when no model is active."""
    record = ClassifierVersion.objects.active()
    if record is None:
        return None
    with _cache_lock:
        model = _cache.get(record.version)
        if model is None:
            logger.info("Loading classifier %s", record.version)
            model = load_model(record)
            _cache.clear()  # keep one model in memory per process
            _cache[record.version] = model
    return Scorer(version=record.version, model=model)


def scoring_problem() -> str | None:
    """Why reports cannot be scored now, in words with the fix; None when the active model's file is sound.

    Checks the file the workers would load (present, and matching its recorded checksum), not the workers'
    memory, and keeps the answer a minute so admin pages stay quick."""
    from django.core.cache import cache

    record = ClassifierVersion.objects.active()
    if record is None:
        return (
            "No scoring model is active, so reports wait unscored. Train one: `manage.py train_classifier --activate`."
        )
    path = Path(settings.MODEL_DIR) / record.artifact_path
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    key = f"scoring-problem:{record.version}:{stamp}"
    found = cache.get(key)
    if found is None:
        if not path.is_file():
            found = f"Model {record.version}: its file {path} is missing."
        elif file_sha256(path) != record.artifact_sha256:
            found = (
                f"Model {record.version}: its file {path} does not match its recorded checksum (damaged or replaced)."
            )
        else:
            found = ""
        cache.set(key, found, timeout=60)
    if not found:
        if stale(record):  # read from the record, so not kept with the file's answer
            return (
                f"Model {record.version} was trained with an earlier text pipeline, so its scores would not be the "
                "ones measured. Reports are saved and wait unscored; nothing is lost. Activate the model shipped "
                "with this release (`manage.py train_classifier --if-none`) or another version in Scoring models."
            )
        return None
    return (
        f"{found} Reports are saved and wait unscored; nothing is lost. Restore the file, activate another "
        "version in Scoring models, or train a new one: `manage.py train_classifier --activate`."
    )
