"""Runs one scorer inside its own interpreter, for the classifier bench.

The bench starts this script with the Python of the scorer's virtual environment
(the project's own for the Hub's models), so each scorer runs with the packages
it needs and nothing else. Two modes:

    worker.py run --scorer KEY --job JOB.json --out OUT.json --workdir DIR
        load the scorer (hub-served: the shipped artifact, through the Hub's own
        checksum-checked loader; hub-light: trained here on the seed corpus; a peer:
        its pre-trained model), time it on short posts, and score every text the
        job lists; the scores go back in OUT.json and the bench measures them.
    worker.py memory --scorer KEY --out OUT.json [--artifact FILE]
        in a fresh process: resident memory before and after importing the
        scorer, loading its model and scoring one post.

Only the standard library is imported at the top, so the "before" reading of
the memory mode is taken before any of the scorer's code is loaded. Network
access is refused from the start: every model must load from installed files.
Lines starting with PROGRESS on stderr are relayed by the bench.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import socket
import statistics
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROGRESS = "@@ "
SEED = 0
HUB_SCORERS = ("hub-served", "hub-light")
PROBE_POST = "Just got back from the match, what a game."
# A scoring worker takes up to SCORING_BATCH_SIZE waiting reports in one call of the model (settings default).
WORKER_BATCH = 32

Predict = Callable[[Sequence[str]], Sequence[float]]


def say(message: str) -> None:
    """A progress line for the bench to print."""
    print(f"{PROGRESS}{message}", file=sys.stderr, flush=True)


def refuse_network() -> None:
    """Make any attempt to reach the network fail loudly, so a model that would download is caught."""

    def refused(*args: object, **kwargs: object) -> None:
        raise OSError("network access is disabled in the bench: the model must load from installed files")

    socket.socket.connect = refused  # type: ignore[method-assign]
    socket.socket.connect_ex = refused  # type: ignore[method-assign]
    socket.getaddrinfo = refused  # type: ignore[assignment]
    socket.create_connection = refused  # type: ignore[assignment]


def rss_kb() -> int:
    """This process's resident set size, from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("VmRSS not found in /proc/self/status")


def version_of(distribution: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


# Peers ------------------------------------------------------------------------------------------


class Peer:
    """A pre-trained model from PyPI, giving one score per text that every measure reads."""

    distributions: tuple[str, ...] = ()

    def load(self) -> None:
        raise NotImplementedError

    def score(self, texts: Sequence[str]) -> list[float]:
        raise NotImplementedError

    def speed_predict(self) -> Predict:
        """The call whose time is measured."""
        return self.score

    def model_files(self) -> list[Path]:
        """The files the package ships its trained model in."""
        raise NotImplementedError


class HateSonar(Peer):
    """hatesonar: an ONNX pipeline (TF-IDF, logistic regression) giving hate / offensive / neither; its
    score here is P(hate)."""

    distributions = ("hatesonar", "onnxruntime")

    def load(self) -> None:
        from hatesonar import Sonar

        self.sonar = Sonar()
        self.column = {name: index for index, name in self.sonar.mapping.items()}

    def model_files(self) -> list[Path]:
        from hatesonar.api import DEFAULT_MODEL_FILE

        return [Path(DEFAULT_MODEL_FILE)]

    def probabilities(self, texts: Sequence[str]) -> list[list[float]]:
        """Class probabilities for a whole batch in one run of the package's own session.

        ``Sonar.ping`` scores one text per call; the session it wraps takes a batch, and
        ``check_batching`` shows that both give the same numbers.
        """
        import numpy as np

        _, probabilities = self.sonar.sess.run(None, {"text": np.array(list(texts), dtype=object)})
        if isinstance(probabilities, list):  # ZipMap output: one {class index: probability} per text
            return [[float(row[index]) for index in range(3)] for row in probabilities]
        return np.asarray(probabilities, dtype=float).tolist()

    def check_batching(self, texts: Sequence[str]) -> None:
        batched = self.probabilities(texts)
        for text, row in zip(texts, batched, strict=True):
            single = {item["class_name"]: float(item["confidence"]) for item in self.sonar.ping(text)["classes"]}
            for name, index in self.column.items():
                if abs(single[name] - row[index]) > 1e-5:
                    raise RuntimeError(f"hatesonar batch scoring differs from ping() on {text!r}")

    def score(self, texts: Sequence[str]) -> list[float]:
        hate = self.column["hate_speech"]
        return [row[hate] for row in self.probabilities(texts)]


class ProfanityCheck(Peer):
    """alt-profanity-check: bag of words and a calibrated linear SVM giving P(profane)."""

    distributions = ("alt-profanity-check", "scikit-learn")

    def load(self) -> None:
        from profanity_check import predict_prob

        self.predict_prob = predict_prob

    def model_files(self) -> list[Path]:
        import profanity_check

        return sorted((Path(profanity_check.__file__).parent / "data").glob("*.joblib"))

    def score(self, texts: Sequence[str]) -> list[float]:
        return [float(value) for value in self.predict_prob(list(texts))]


PEERS: dict[str, type[Peer]] = {"hatesonar": HateSonar, "profanity-check": ProfanityCheck}


# The Hub's models -------------------------------------------------------------------------------


def hub_path() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def django_for_loading() -> None:
    """Set Django up far enough for the Hub's loader (``load_shipped_model`` checks the artifact as the
    Hub does, through its registry). No database is opened. Development settings spare this process
    the production settings' demands (a secret key, PostgreSQL, a shared cache), none of which loading
    a model touches; the URLs of any real services are dropped so that nothing can reach them."""
    hub_path()
    for name in ("DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "hubsite.settings"
    os.environ["DJANGO_DEBUG"] = "true"
    import django

    django.setup()


def load_served() -> tuple[object, dict]:
    """The shipped model, as the Hub loads it, and the manifest it was checked against."""
    from triage.classifier import pipeline

    manifest = pipeline.shipped_manifest()
    model = pipeline.load_shipped_model()
    return model, manifest


def train_light() -> tuple[object, float, int]:
    """The "light" recipe (seed corpus only) trained as the Hub trains it; the model, seconds and examples."""
    hub_path()
    from triage.classifier import pipeline
    from triage.classifier.training import fit

    datasets = pipeline.read_sources(pipeline.recipe_sources("light"))
    examples = [example for loaded in datasets for example in loaded.examples]
    began = time.perf_counter()
    model = fit(pipeline.build_model(seed=SEED, features="tfidf"), examples)
    return model, round(time.perf_counter() - began, 2), len(examples)


def hub_load(path: Path):
    """Load an artifact as the Hub does: with skops, refusing types from outside the libraries and our package."""
    import skops.io

    untrusted = skops.io.get_untrusted_types(file=path)
    allowed = ("sklearn.", "numpy.", "scipy.", "builtins.", "triage.classifier.")
    unexpected = [name for name in untrusted if not name.startswith(allowed)]
    if unexpected:
        raise RuntimeError(f"artifact holds unexpected types {unexpected}")
    return skops.io.load(path, trusted=untrusted)


# Measurements -----------------------------------------------------------------------------------


def time_predictions(predict: Predict, texts: Sequence[str], batch: int, passes: int) -> dict:
    """Posts per second over ``passes`` passes through ``texts`` in batches; only ``predict`` is timed."""
    predict(texts[: min(batch, 100)])  # warm-up: first-call costs are not throughput
    rates = []
    for _ in range(passes):
        spent = 0.0
        for start in range(0, len(texts), batch):
            chunk = texts[start : start + batch]
            began = time.perf_counter()
            predict(chunk)
            spent += time.perf_counter() - began
        rates.append(len(texts) / spent)
    return {
        "texts": len(texts),
        "batch": batch,
        "passes": passes,
        "per_second": round(statistics.median(rates), 1),
        "per_second_best": round(max(rates), 1),
        "per_second_passes": [round(rate, 1) for rate in rates],
    }


def time_worker(model, texts: Sequence[str]) -> dict:
    """Reports per second as the scoring worker handles them, database writes aside.

    Headline: one report at a time, as when reports arrive singly: its score with categories
    (``model.score([text])``) and its explanation (``model.explain(text)``). Beside it, the rate when a
    backlog lets the worker score ``WORKER_BATCH`` reports in one call; each still gets its own
    explanation, which is most of the cost.
    """
    model.score([texts[0]])  # warm-up: first-call costs are not throughput
    model.explain(texts[0])
    began = time.perf_counter()
    for text in texts:
        model.score([text])
        model.explain(text)
    single = len(texts) / (time.perf_counter() - began)
    began = time.perf_counter()
    for start in range(0, len(texts), WORKER_BATCH):
        chunk = texts[start : start + WORKER_BATCH]
        model.score(chunk)
        for text in chunk:
            model.explain(text)
    batched = len(texts) / (time.perf_counter() - began)
    return {
        "texts": len(texts),
        "per_second": round(single, 1),
        "batch": WORKER_BATCH,
        "per_second_batched": round(batched, 1),
    }


def run_hub(scorer: str, job: dict, workdir: Path) -> dict:
    result: dict = {"notes": [], "train_seconds": None}
    if scorer == "hub-served":
        say("loading the shipped model (checksum checked, as the Hub loads it)")
        django_for_loading()
        model, manifest = load_served()
        result["served"] = {
            key: manifest.get(key) for key in ("version", "sha256", "bytes", "feature_set", "training_data")
        }
        result["served"]["metrics"] = manifest.get("metrics") or {}
        result["artifact_mb"] = round(manifest["bytes"] / 1e6, 2)
        say(f"loaded version {manifest['version']} ({manifest.get('feature_set')})")
    else:
        say("training the light recipe (seed corpus only), timed")
        model, seconds, examples = train_light()
        result["train_seconds"] = seconds
        result["train_examples"] = examples
        say(f"trained on {examples:,} examples in {seconds:.1f} s")
        import skops.io

        artifact = workdir / f"{scorer}.skops"
        skops.io.dump(model, artifact)
        result["artifact"] = str(artifact)
        result["artifact_mb"] = round(artifact.stat().st_size / 1e6, 2)
    result["versions"] = {"scikit-learn": version_of("scikit-learn"), "skops": version_of("skops")}

    speed = job["speed"]
    say(f"timing predict_proba on {len(speed['texts']):,} short posts, batches of {speed['batch']:,}")
    result["speed"] = time_predictions(model.predict_proba, speed["texts"], speed["batch"], speed["passes"])
    say(f"{result['speed']['per_second']:,.0f} posts/s")
    posts = speed["texts"][: job["worker_posts"]]
    say(f"timing {len(posts):,} reports as a scoring worker handles them (score, categories, explanation)")
    result["worker"] = time_worker(model, posts)
    say(
        f"{result['worker']['per_second']:,.0f} reports/s one at a time, "
        f"{result['worker']['per_second_batched']:,.0f} in batches of {WORKER_BATCH}"
    )
    say(f"scoring {len(job['texts']):,} dev and functional-suite texts")
    result["scores"] = [float(value) for value in model.predict_proba(job["texts"])]
    return result


def run_peer(scorer: str, job: dict) -> dict:
    peer = PEERS[scorer]()
    say("loading the pre-trained model")
    peer.load()
    if isinstance(peer, HateSonar):
        peer.check_batching(job["texts"][:5])
    result: dict = {
        "notes": [],
        "versions": {name: version_of(name) for name in peer.distributions},
        "train_seconds": None,
        "artifact_mb": round(sum(path.stat().st_size for path in peer.model_files()) / 1e6, 2),
    }
    speed = job["speed"]
    say(f"timing predict on {len(speed['texts']):,} short posts, batches of {speed['batch']:,}")
    result["speed"] = time_predictions(peer.speed_predict(), speed["texts"], speed["batch"], speed["passes"])
    say(f"{result['speed']['per_second']:,.0f} posts/s")
    say(f"scoring {len(job['texts']):,} dev and functional-suite texts")
    result["scores"] = peer.score(job["texts"])
    return result


def measure_memory(scorer: str, artifact: Path | None) -> dict:
    """RSS growth of this (fresh) process from before importing the scorer to after it has scored one post.

    For hub-served, Django is set up before the first reading: a scoring worker has it loaded anyway,
    and the figure is the model's."""
    if scorer == "hub-served":
        django_for_loading()
    gc.collect()
    before = rss_kb()
    began = time.perf_counter()
    if scorer == "hub-served":
        model, _ = load_served()
        model.predict_proba([PROBE_POST])
    elif scorer in HUB_SCORERS:
        if artifact is None:
            raise RuntimeError(f"{scorer} needs --artifact")
        hub_path()
        model = hub_load(artifact)
        model.predict_proba([PROBE_POST])
    else:
        peer = PEERS[scorer]()
        peer.load()
        peer.speed_predict()([PROBE_POST])
    seconds = time.perf_counter() - began
    gc.collect()
    after = rss_kb()
    return {
        "rss_before_mb": round(before * 1024 / 1e6, 1),
        "rss_after_mb": round(after * 1024 / 1e6, 1),
        "growth_mb": round((after - before) * 1024 / 1e6, 1),
        "load_seconds": round(seconds, 2),
    }


def main() -> int:
    refuse_network()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("run", "memory"))
    parser.add_argument("--scorer", required=True, choices=(*HUB_SCORERS, *PEERS))
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--job", type=Path)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--artifact", type=Path)
    args = parser.parse_args()
    try:
        if args.mode == "memory":
            result = measure_memory(args.scorer, args.artifact)
        else:
            job = json.loads(args.job.read_text())
            if args.scorer in HUB_SCORERS:
                result = run_hub(args.scorer, job, args.workdir)
            else:
                result = run_peer(args.scorer, job)
    except Exception as exc:
        traceback.print_exc()
        args.out.write_text(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
        return 1
    args.out.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
