"""The scorers the classifier bench compares, their virtual environments, and how they are run.

The Hub's two models (the shipped one it serves, and the "light" recipe the bench trains) run
with the project's own interpreter. Each peer gets its own virtual environment under
var/bench/venvs/<name>, created on first use from pinned requirement files at the repository
root and reused while those files are unchanged. Every scorer, ours included, runs in a worker
process (worker.py) started with its environment's Python; job and results pass through JSON files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from scratch import Unavailable, venv_python  # noqa: E402  (Unavailable: a scorer that cannot run here)

BENCH_DIR = ROOT / "var" / "bench"
LOCALE_DIR = BENCH_DIR / "locale"
WORKER = Path(__file__).resolve().parent / "worker.py"
PROGRESS = "@@ "  # worker.py marks its progress lines with this
RUN_TIMEOUT = 3600
MEMORY_TIMEOUT = 600

Say = Callable[[str], None]


@dataclass(frozen=True)
class Scorer:
    key: str  # the worker's name for it
    label: str  # column heading
    kind: str  # "served": the model the Hub ships; "trained": trained by the bench; "peer": pre-trained from PyPI
    venv: str | None = None  # None: the project's own interpreter
    install: tuple[str, ...] = ()  # pip install arguments, relative to the repository root
    needs_locale: bool = False


SCORERS: tuple[Scorer, ...] = (
    Scorer("hub-served", "hub-served", kind="served"),
    Scorer("hub-light", "hub-light", kind="trained"),
    Scorer(
        "hatesonar",
        "hatesonar",
        kind="peer",
        venv="hatesonar",
        install=("-r", "requirements-bench-hatesonar.txt", "-c", "constraints.txt"),
        needs_locale=True,
    ),
    Scorer(
        "profanity-check",
        "profanity-check",
        kind="peer",
        venv="profanity-check",
        install=("-r", "requirements-bench-profanity.txt", "-c", "constraints.txt"),
    ),
)


def python_for(scorer: Scorer, say: Say) -> Path:
    """The interpreter to run ``scorer`` with, creating or updating its environment if needed."""
    if scorer.venv is None:
        return Path(sys.executable)
    return venv_python(scorer.venv, scorer.install, say)


def _has_system_locale(name: str) -> bool:
    try:
        listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout  # noqa: S607
    except OSError:
        return False
    wanted = name.lower().replace("-", "")
    return any(line.strip().lower().replace("-", "") == wanted for line in listed.splitlines())


def locale_environment(say: Say) -> dict[str, str]:
    """LOCPATH for hatesonar: its ONNX string normaliser needs the en_US.UTF-8 locale.

    If the system lacks it, the locale is compiled with localedef into var/bench/locale,
    which touches nothing outside the repository.
    """
    if _has_system_locale("en_US.UTF-8"):
        return {}
    target = LOCALE_DIR / "en_US.UTF-8"
    if not (target / "LC_CTYPE").is_file():
        localedef = shutil.which("localedef")
        if localedef is None:
            raise Unavailable(
                "onnxruntime needs the en_US.UTF-8 locale and localedef is missing (apt-get install locales)"
            )
        say(f"compiling the en_US.UTF-8 locale into {LOCALE_DIR.relative_to(ROOT)} (onnxruntime needs it)")
        target.mkdir(parents=True, exist_ok=True)
        # localedef exits 1 when it only warned; the files it wrote are what counts.
        made = subprocess.run([localedef, "-i", "en_US", "-f", "UTF-8", str(target)], capture_output=True, text=True)
        if not (target / "LC_CTYPE").is_file():
            raise Unavailable(
                f"onnxruntime needs the en_US.UTF-8 locale and localedef could not build it: "
                f"{made.stderr.strip()[-200:]} (apt-get install locales)"
            )
    return {"LOCPATH": str(LOCALE_DIR)}


def worker_environment(scorer: Scorer, say: Say) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["PYTHONUNBUFFERED"] = "1"
    if scorer.needs_locale:
        env |= locale_environment(say)
    return env


def _run(python: Path, arguments: list[str], env: dict[str, str], say: Say, timeout: int) -> dict:
    """Run the worker, relay its progress lines, and return its JSON result."""
    with tempfile.TemporaryDirectory(prefix="bench-out-") as scratch:
        out = Path(scratch) / "out.json"
        command = [str(python), str(WORKER), *arguments, "--out", str(out)]
        tail: deque[str] = deque(maxlen=20)
        with subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        ) as process:
            assert process.stdout is not None  # piped above
            for line in process.stdout:
                line = line.rstrip()
                if line.startswith(PROGRESS):
                    say(line[len(PROGRESS) :])
                elif line:
                    tail.append(line)
            try:
                code = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired as exc:
                process.kill()
                raise Unavailable(f"the worker took over {timeout} s") from exc
        result = json.loads(out.read_text()) if out.is_file() else {}
    if "error" in result:
        raise Unavailable(result["error"])
    if code != 0 or not result:
        detail = " | ".join(list(tail)[-3:]) or "no output"
        raise Unavailable(f"the worker exited with status {code}: {detail}")
    return result


def run_job(scorer: Scorer, python: Path, env: dict[str, str], job: dict, workdir: Path, say: Say) -> dict:
    """Load or train, time and score in one worker process."""
    job_file = workdir / "job.json"
    job_file.write_text(json.dumps(job))
    arguments = ["run", "--scorer", scorer.key, "--job", str(job_file), "--workdir", str(workdir)]
    return _run(python, arguments, env, say, RUN_TIMEOUT)


def measure_memory(scorer: Scorer, python: Path, env: dict[str, str], artifact: str | None, say: Say) -> dict:
    """RSS growth of a fresh worker process from before import and load to after scoring one post."""
    arguments = ["memory", "--scorer", scorer.key]
    if artifact:
        arguments += ["--artifact", artifact]
    return _run(python, arguments, env, say, MEMORY_TIMEOUT)
