"""Runs one scorer inside its own interpreter, for the classifier bench.

The bench starts this script with the Python of the scorer's virtual environment
(the project's own for "hub tfidf"), so each scorer runs with the packages it
needs and nothing else. Two modes:

    worker.py run --scorer KEY --job JOB.json --out OUT.json --workdir DIR
        train (our models only), time the predict call, and score the held-out
        Davidson rows and the functional suite; scores go back in OUT.json.
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
HUB_FEATURE_SETS = {"hub-tfidf": "tfidf", "hub-wordllama": "tfidf+wordllama"}
PROBE_POST = "Just got back from the match, what a game."

Predict = Callable[[Sequence[str]], list[float]]


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


# Scorers ----------------------------------------------------------------------------------------


class Peer:
    """A pre-trained model from PyPI: a hate score and an abusive (hate or offensive) score per text."""

    distributions: tuple[str, ...] = ()

    def load(self) -> None:
        raise NotImplementedError

    def hate(self, texts: Sequence[str]) -> list[float]:
        raise NotImplementedError

    def abusive(self, texts: Sequence[str]) -> list[float]:
        raise NotImplementedError

    def speed_predict(self) -> Predict:
        """The call whose time is measured: everything needed for both scores."""
        return self.hate

    def notes(self) -> list[str]:
        return []

    def model_files(self) -> list[Path]:
        """The files the package ships its trained model in."""
        raise NotImplementedError


class HateSonar(Peer):
    """hatesonar: an ONNX pipeline (TF-IDF, logistic regression) giving hate / offensive / neither."""

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

    def hate(self, texts: Sequence[str]) -> list[float]:
        hate = self.column["hate_speech"]
        return [row[hate] for row in self.probabilities(texts)]

    def abusive(self, texts: Sequence[str]) -> list[float]:
        hate, offensive = self.column["hate_speech"], self.column["offensive_language"]
        return [row[hate] + row[offensive] for row in self.probabilities(texts)]

    def speed_predict(self) -> Predict:
        return self.probabilities


class ProfanityCheck(Peer):
    """alt-profanity-check: bag of words and a calibrated linear SVM giving P(profane)."""

    distributions = ("alt-profanity-check", "scikit-learn")

    def load(self) -> None:
        from profanity_check import predict_prob

        self.predict_prob = predict_prob

    def model_files(self) -> list[Path]:
        import profanity_check

        return sorted((Path(profanity_check.__file__).parent / "data").glob("*.joblib"))

    def hate(self, texts: Sequence[str]) -> list[float]:
        return [float(value) for value in self.predict_prob(list(texts))]

    abusive = hate


PEERS: dict[str, type[Peer]] = {"hatesonar": HateSonar, "profanity-check": ProfanityCheck}


def wordllama_offline() -> str | None:
    """Make WordLlama load the tokenizer that ships in its wheel, if its own lookup would miss it.

    wordllama looks for ``wordllama/tokenizer/<file>`` beside its code, then in a cache whose
    subfolder is ``tokenizers``, then downloads; the wheel holds the file in
    ``wordllama/tokenizers/``. Pointing the cache at the package folder finds the shipped
    weights and tokenizer, and the network stays closed.
    """
    import wordllama
    from wordllama import WordLlama

    package = Path(wordllama.__file__).parent
    if (package / "tokenizer").is_dir() or not (package / "tokenizers").is_dir():
        return None
    WordLlama.DEFAULT_CACHE_DIR = package
    return (
        f"wordllama {version_of('wordllama')} ships its tokenizer in wordllama/tokenizers/ but looks for it in "
        "wordllama/tokenizer/ and then downloads it; offline, WordLlama.load() fails unless given "
        "cache_dir=<the wordllama package folder>. The bench sets that default, and the network stays closed."
    )


def hub_imports(scorer: str) -> list[str]:
    """Put the project on the path and load what a hub model needs; notes about the environment."""
    sys.path.insert(0, str(ROOT))
    notes = []
    if HUB_FEATURE_SETS[scorer] == "tfidf+wordllama":
        note = wordllama_offline()
        if note:
            notes.append(note)
    import skops.io  # noqa: F401

    import triage.classifier.model  # noqa: F401

    return notes


def hub_fit(scorer: str, data: dict):
    from triage.classifier.model import HubClassifier

    return HubClassifier(seed=SEED, feature_set=HUB_FEATURE_SETS[scorer]).fit(
        data["texts"], data["labels"], [None if slugs is None else tuple(slugs) for slugs in data["categories"]]
    )


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


WORKER_POSTS = 1000
WORKER_BATCH = 32  # the default SCORING_BATCH_SIZE


def time_worker(model, texts: Sequence[str]) -> dict:
    """Reports per second as a scoring worker handles them: score and categories in batches, and an
    explanation for each report."""
    began = time.perf_counter()
    for start in range(0, len(texts), WORKER_BATCH):
        chunk = texts[start : start + WORKER_BATCH]
        model.score(chunk)
        for text in chunk:
            model.explain(text)
    seconds = time.perf_counter() - began
    return {"texts": len(texts), "batch": WORKER_BATCH, "per_second": round(len(texts) / seconds, 1)}


def run_hub(scorer: str, job: dict, workdir: Path) -> dict:
    notes = hub_imports(scorer)
    result: dict = {"notes": notes, "versions": {"scikit-learn": version_of("scikit-learn")}}
    if scorer == "hub-wordllama":
        result["versions"]["wordllama"] = version_of("wordllama")

    size = len(job["train_size_run"]["texts"])
    say(f"training on {size:,} posts (timed)")
    began = time.perf_counter()
    model = hub_fit(scorer, job["train_size_run"])
    result["train_seconds"] = round(time.perf_counter() - began, 2)
    say(f"trained in {result['train_seconds']:.1f} s")

    import skops.io

    artifact = workdir / f"{scorer}.skops"
    skops.io.dump(model, artifact)
    result["artifact"] = str(artifact)
    result["artifact_mb"] = round(artifact.stat().st_size / 1e6, 2)

    speed = job["speed"]
    say(f"timing predict_proba on {len(speed['texts']):,} short posts, batches of {speed['batch']:,}")
    result["speed"] = time_predictions(model.predict_proba, speed["texts"], speed["batch"], speed["passes"])
    say(f"{result['speed']['per_second']:,.0f} posts/s")
    result["worker"] = time_worker(model, speed["texts"][:WORKER_POSTS])
    say(f"as a scoring worker does it: {result['worker']['per_second']:,.0f} reports/s")
    del model

    say(f"training the hate model on {len(job['train_hate']['texts']):,} posts (Davidson 80% + seed corpus)")
    hate_model = hub_fit(scorer, job["train_hate"])
    result["davidson_hate"] = hate_model.predict_proba(job["davidson_test"]).tolist()
    result["suite"] = hate_model.predict_proba(job["suite"]).tolist()
    del hate_model

    say(f"training the abusive model on {len(job['train_abusive']['texts']):,} posts")
    abusive_model = hub_fit(scorer, job["train_abusive"])
    result["davidson_abusive"] = abusive_model.predict_proba(job["davidson_test"]).tolist()
    return result


def run_peer(scorer: str, job: dict) -> dict:
    peer = PEERS[scorer]()
    say("loading the pre-trained model")
    peer.load()
    if isinstance(peer, HateSonar):
        peer.check_batching(job["suite"][:5])
    result: dict = {
        "notes": peer.notes(),
        "versions": {name: version_of(name) for name in peer.distributions},
        "train_seconds": None,
        "artifact_mb": round(sum(path.stat().st_size for path in peer.model_files()) / 1e6, 2),
    }
    speed = job["speed"]
    say(f"timing predict on {len(speed['texts']):,} short posts, batches of {speed['batch']:,}")
    result["speed"] = time_predictions(peer.speed_predict(), speed["texts"], speed["batch"], speed["passes"])
    say(f"{result['speed']['per_second']:,.0f} posts/s")
    say("scoring the held-out Davidson rows and the functional suite")
    result["davidson_hate"] = peer.hate(job["davidson_test"])
    result["davidson_abusive"] = peer.abusive(job["davidson_test"])
    result["suite"] = peer.hate(job["suite"])
    return result


def measure_memory(scorer: str, artifact: Path | None) -> dict:
    """RSS growth of this (fresh) process from before importing the scorer to after it has scored one post."""
    gc.collect()
    before = rss_kb()
    began = time.perf_counter()
    if scorer in HUB_FEATURE_SETS:
        if artifact is None:
            raise RuntimeError("a hub scorer needs --artifact")
        hub_imports(scorer)
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
    parser.add_argument("--scorer", required=True, choices=(*HUB_FEATURE_SETS, *PEERS))
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
            if args.scorer in HUB_FEATURE_SETS:
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
