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

from triage.models import ClassifierVersion

logger = logging.getLogger(__name__)

# Types a Hub artifact may contain. Anything else in a file is refused on load.
_TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.")

_cache: dict[str, object] = {}
_cache_lock = threading.Lock()


class ArtifactError(Exception):
    """A model artifact that is missing, altered or unreadable."""


@dataclass(frozen=True)
class Scorer:
    version: str
    pipeline: object

    def score(self, text: str) -> float:
        """Probability in [0, 1] that ``text`` is hateful."""
        (probability,) = self.pipeline.predict_proba([text])[:, 1]
        return float(probability)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save_version(pipeline, *, metrics: dict, training_data: dict, trained_by: str, activate: bool) -> ClassifierVersion:
    """Write the artifact, record the version and, if asked, make it the active one."""
    import skops.io

    model_dir = Path(settings.MODEL_DIR)
    model_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    staging = model_dir / f".{stamp}.skops.partial"
    skops.io.dump(pipeline, staging)
    sha = _sha256(staging)
    version = f"{stamp}-{sha[:8]}"
    final = model_dir / f"{version}.skops"
    staging.replace(final)
    with transaction.atomic():
        record = ClassifierVersion.objects.create(
            version=version,
            artifact_path=final.name,
            artifact_sha256=sha,
            metrics=metrics,
            training_data=training_data,
            trained_by=trained_by,
        )
        if activate:
            activate_version(version)
            record.refresh_from_db()
    return record


def activate_version(version: str) -> ClassifierVersion:
    """Make ``version`` the one active model, in one transaction."""
    with transaction.atomic():
        record = ClassifierVersion.objects.select_for_update().get(version=version)
        ClassifierVersion.objects.filter(is_active=True).exclude(pk=record.pk).update(is_active=False)
        ClassifierVersion.objects.filter(pk=record.pk).update(is_active=True, activated_at=timezone.now())
    record.refresh_from_db()
    return record


def load_pipeline(record: ClassifierVersion):
    """Load a version's artifact after checking its checksum and the types it holds."""
    import skops.io

    path = Path(settings.MODEL_DIR) / record.artifact_path
    if not path.is_file():
        raise ArtifactError(
            f"Model {record.version}: artifact {path} is missing. "
            "Train a new model with `manage.py train_classifier` or restore the file."
        )
    if _sha256(path) != record.artifact_sha256:
        raise ArtifactError(
            f"Model {record.version}: artifact {path} does not match its recorded SHA-256; refusing it."
        )
    untrusted = skops.io.get_untrusted_types(file=path)
    unexpected = [name for name in untrusted if not name.startswith(_TRUSTED_PREFIXES)]
    if unexpected:
        raise ArtifactError(f"Model {record.version}: artifact holds unexpected types {unexpected}; refusing it.")
    return skops.io.load(path, trusted=untrusted)


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
        pipeline = _cache.get(record.version)
        if pipeline is None:
            logger.info("Loading classifier %s", record.version)
            pipeline = load_pipeline(record)
            _cache.clear()  # keep one model in memory per process
            _cache[record.version] = pipeline
    return Scorer(version=record.version, pipeline=pipeline)
