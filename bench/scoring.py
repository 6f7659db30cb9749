"""Scoring figures: training time, artifact size, load time and per-report latency.

Run:  .venv/bin/python bench/scoring.py [--reports 2000]
Nothing is stored: the model is trained on the seed corpus into a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubsite.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000, help="How many single-report scorings to time.")
    args = parser.parse_args()

    import django

    django.setup()
    import skops.io

    from triage.classifier.datasets import load_dataset
    from triage.classifier.pipeline import build_pipeline
    from triage.classifier.training import fit

    examples = load_dataset("seed", None).examples
    print(f"seed corpus: {len(examples)} examples", flush=True)

    started = time.perf_counter()
    pipeline = fit(build_pipeline(seed=0), examples)
    print(f"training: {time.perf_counter() - started:.2f} s", flush=True)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.skops"
        skops.io.dump(pipeline, path)
        print(f"artifact: {path.stat().st_size / 1e6:.1f} MB", flush=True)
        started = time.perf_counter()
        untrusted = skops.io.get_untrusted_types(file=path)
        loaded = skops.io.load(path, trusted=untrusted)
        print(f"load (type check + load): {time.perf_counter() - started:.2f} s", flush=True)

    texts = [examples[index % len(examples)].text for index in range(args.reports)]
    timings = []
    for index, text in enumerate(texts, start=1):
        started = time.perf_counter()
        loaded.predict_proba([text])
        timings.append((time.perf_counter() - started) * 1000)
        if index % 500 == 0:
            print(f"  scored {index}/{len(texts)}", flush=True)
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(
        f"one report: p50 {statistics.median(timings):.2f} ms, p99 {p99:.2f} ms, "
        f"about {1000 / statistics.mean(timings):.0f} reports/s per worker process"
    )


if __name__ == "__main__":
    main()
