"""Plain-text tables for the classifier bench, drawn from the report that is also written as JSON."""

from __future__ import annotations

from collections.abc import Sequence

UNAVAILABLE = "unavailable"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Names and notes (the first column, and one headed "note") left-aligned, figures right-aligned,
    with a rule under the headings."""
    widths = [max(len(str(row[column])) for row in [headers, *rows]) for column in range(len(headers))]
    left = {0} | {column for column, heading in enumerate(headers) if heading == "note"}

    def line(cells: Sequence[str]) -> str:
        parts = [
            str(cell).ljust(width) if column in left else str(cell).rjust(width)
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(headers), line(["-" * width for width in widths]), *(line(row) for row in rows)])


def _number(value: float | None, digits: int = 4) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _reason(scorer: dict, part: str) -> str:
    """Why ``part`` of a scorer's figures is missing, or an empty string."""
    if scorer["status"] != "ok":
        return _short(f"{UNAVAILABLE}: {scorer['reason']}")
    if part == "memory" and "error" in scorer["memory"]:
        return _short(f"memory {UNAVAILABLE}: {scorer['memory']['error']}")
    return ""


def _short(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _available(report: dict) -> list[dict]:
    return [scorer for scorer in report["scorers"].values() if scorer["status"] == "ok"]


def _missing_rows(report: dict, blanks: int, part: str) -> list[list[str]]:
    return [
        [scorer["label"], *["-"] * blanks, _reason(scorer, part)]
        for scorer in report["scorers"].values()
        if scorer["status"] != "ok"
    ]


def speed_section(report: dict) -> str:
    settings = report["settings"]
    rows = []
    for scorer in _available(report):
        speed, worker = scorer["speed"], scorer.get("worker") or {}
        rows.append(
            [
                scorer["label"],
                _rate(speed["per_second"]),
                _rate(speed["per_second_best"]),
                _rate(worker.get("per_second")),
                _rate(worker.get("per_second_batched")),
                "pre-trained" if scorer["train_seconds"] is None else f"{scorer['train_seconds']:.1f}",
                "",
            ]
        )
    rows += _missing_rows(report, 5, "speed")
    title = (
        f"1. Speed, one process: predictions per second on {settings['speed_texts']:,} posts cut to "
        f"<= {settings['max_chars']} characters, batches of {settings['speed_batch']:,}, only the predict call "
        f"timed, median of {settings['speed_passes']} passes; reports per second as a scoring worker handles "
        f"them ({settings['worker_posts']:,} posts: score with categories and explanation for each, database "
        "writes aside), one report at a time and in batches of 32; seconds to train"
    )
    headers = ["scorer", "posts/s", "best pass", "reports/s", "reports/s x32", "train s", "note"]
    footnote = (
        "train s: hub-light trained here on the seed corpus; hub-served's is from its manifest, measured when it "
        "was trained on the public recipe."
    )
    return "\n".join([title, "", table(headers, rows), "", footnote])


def memory_section(report: dict) -> str:
    rows = []
    for scorer in report["scorers"].values():
        reason = _reason(scorer, "memory")
        if reason:
            rows.append([scorer["label"], UNAVAILABLE, "-", "-", "-", reason])
            continue
        memory = scorer["memory"]
        rows.append(
            [
                scorer["label"],
                f"{memory['growth_mb']:.1f}",
                f"{memory['rss_after_mb']:.1f}",
                f"{memory['load_seconds']:.2f}",
                _number(scorer.get("artifact_mb"), 1),
                "",
            ]
        )
    title = (
        "2. Memory of the loaded model: RSS growth of a fresh process from before importing the scorer to "
        "after loading its model and scoring one post (MB = 10^6 bytes; for hub-served, Django is set up "
        "before the first reading, as a scoring worker has it anyway); model file: our skops artifacts, the "
        "peers' shipped model files"
    )
    headers = ["scorer", "RSS growth MB", "RSS after MB", "import+load s", "model file MB", "note"]
    return "\n".join([title, "", table(headers, rows)])


def stormfront_section(report: dict) -> str:
    rows = [
        [
            scorer["label"],
            _number(scorer["measures"]["stormfront_test"]["macro_f1"]),
            _number(scorer["measures"]["stormfront_test"]["roc_auc"]),
            "",
        ]
        for scorer in _available(report)
    ]
    rows += _missing_rows(report, 2, "stormfront")
    title = (
        f"3. Stormfront test sample (de Gibert et al. 2018): {report['data']['stormfront_test']} balanced "
        f"sentences no recipe trains on; macro-F1 at threshold {report['settings']['threshold']}, and ROC-AUC"
    )
    return "\n".join([title, "", table(["scorer", "macro-F1", "ROC-AUC", "note"], rows)])


def toxigen_section(report: dict) -> str:
    available = _available(report)
    title = (
        f"4. ToxiGen, per target group: macro-F1 at threshold {report['settings']['threshold']} on "
        f"{report['data']['toxigen']} human-written sentences, with groups the model has not seen"
    )
    lines = [title, ""]
    methods = report["toxigen_methods"]
    for scorer in available:
        method = scorer["measures"]["toxigen"]["method"]
        lines.append(f"- {scorer['label']}: {methods.get(method, method)}")
    if not available:
        return "\n".join(lines)
    groups = list(dict.fromkeys(name for scorer in available for name in scorer["measures"]["toxigen"]["groups"]))
    rows = []
    for group in groups:
        found = [scorer["measures"]["toxigen"]["groups"].get(group) for scorer in available]
        cases = next((row["examples"] for row in found if row), None)
        rows.append([group, "-" if cases is None else str(cases), *(_number(row and row["macro_f1"]) for row in found)])
    rows.append(["mean", "", *(_number(scorer["measures"]["toxigen"].get("mean_macro_f1")) for scorer in available)])
    lines += ["", table(["group", "sentences", *(scorer["label"] for scorer in available)], rows)]
    return "\n".join(lines)


def davidson_section(report: dict) -> str:
    data = report["data"]["davidson_held_out"]
    classes = ", ".join(f"{name} {count:,}" for name, count in data["classes"].items())
    rows = []
    for scorer in _available(report):
        davidson = scorer["measures"]["davidson_held_out"]
        note = "trained on Davidson: may have seen these rows" if scorer["kind"] == "peer" else ""
        rows.append([scorer["label"], _number(davidson["hate_roc_auc"]), _number(davidson["abusive_roc_auc"]), note])
    rows += _missing_rows(report, 2, "davidson")
    title = (
        f"5. Davidson et al. (2017) held-out part: {data['rows']:,} rows ({classes}) that the Hub's recipes leave "
        "out; ROC-AUC of the same score for (a) hate vs rest and (b) abusive (hate or offensive) vs neither"
    )
    return "\n".join([title, "", table(["scorer", "hate AUC", "abusive AUC", "note"], rows)])


def suite_section(report: dict) -> str:
    available = _available(report)
    title = (
        f"6. Functional suite: {report['data']['suite_cases']} cases, never trained on; "
        f"threshold {report['settings']['threshold']}"
    )
    lines = [title, ""]
    overall = [
        [
            scorer["label"],
            _number(scorer["measures"]["functional"]["macro_f1"]),
            _number(scorer["measures"]["functional"]["accuracy"]),
        ]
        for scorer in available
    ]
    overall += [[row[0], "-", "-"] for row in _missing_rows(report, 0, "suite")]
    lines.append(table(["scorer", "macro-F1", "accuracy"], overall))
    if available:
        labels = [scorer["label"] for scorer in available]
        first = available[0]["measures"]["functional"]
        for key, heading in (("by_phenomenon", "phenomenon"), ("by_group", "group")):
            rows = []
            for name, row in first[key].items():
                cells = [name]
                if key == "by_phenomenon":
                    cells.append("hateful" if name in report["hateful_phenomena"] else "not")
                cells.append(str(row["cases"]))
                cells += [
                    _number(scorer["measures"]["functional"][key].get(name, {}).get("accuracy"), 3)
                    for scorer in available
                ]
                rows.append(cells)
            headers = [heading, *(["expects"] if key == "by_phenomenon" else []), "cases", *labels]
            lines += ["", f"Accuracy by {heading}:", "", table(headers, rows)]
    return "\n".join(lines)


def targets_section(report: dict) -> str:
    """Our models' targets side by side: what is needed, what each measured, and whether it was met."""
    models = list(report["targets"].values())
    lines = ["7. Targets for the Hub's models (a missed target is reported, not an error)", ""]
    if not models:
        return "\n".join(lines + ["No model of ours was measured."])
    needed: dict[str, str] = {}
    for model in models:
        for row in model["targets"]:
            limit = f"{row['target']:,.0f}" if row["target"] >= 10 else f"{row['target']:.2f}"
            needed.setdefault(row["name"], f"{row['direction']} {limit}")
    found = {model["label"]: {row["name"]: row for row in model["targets"]} for model in models}
    rows = []
    for name, need in needed.items():
        cells = [name, need]
        for model in models:
            row = found[model["label"]].get(name)
            if model["status"] != "ok":
                cells += ["-", UNAVAILABLE]
            elif row is None:
                cells += ["", "n/a"]
            else:
                cells += [_measured(row["measured"]), "met" if row["met"] else "NOT MET"]
        rows.append(cells)
    headers = ["target", "needed"]
    for model in models:
        headers += [model["label"], "result"]
    lines.append(table(headers, rows))
    lines.append("")
    for model in models:
        if model["status"] != "ok":
            lines.append(f"{model['label']}: {UNAVAILABLE}, nothing measured.")
        else:
            lines.append(f"{model['label']}: {model['met']} of {model['of']} targets met.")
    return "\n".join(lines)


def _measured(value: float | None) -> str:
    """A rate as a whole number, a share or a score to four places."""
    if value is None:
        return "n/a"
    return f"{value:,.0f}" if value >= 10 else f"{value:.4f}"


def summary_section(report: dict) -> str:
    rows = []
    for scorer in _available(report):
        measures, memory = scorer["measures"], scorer["memory"]
        rows.append(
            [
                scorer["label"],
                _rate(scorer["speed"]["per_second"]),
                _rate((scorer.get("worker") or {}).get("per_second")),
                "-" if "error" in memory else f"{memory['growth_mb']:.1f}",
                _number(measures["stormfront_test"]["macro_f1"]),
                _number(measures["toxigen"].get("mean_macro_f1")),
                _number(measures["davidson_held_out"]["hate_roc_auc"]),
                _number(measures["functional"]["macro_f1"]),
                "",
            ]
        )
    rows += _missing_rows(report, 7, "summary")
    headers = [
        "scorer",
        "posts/s",
        "reports/s",
        "MB",
        "Stormfront F1",
        "ToxiGen F1",
        "Davidson hate AUC",
        "suite macro-F1",
        "note",
    ]
    lines = ["Summary", "", table(headers, rows)]
    if report["notes"]:
        lines += ["", "Notes:"] + [f"- {note}" for note in report["notes"]]
    return "\n".join(lines)


def render(report: dict) -> str:
    """Every section, then the summary, separated by blank lines."""
    sections = [
        speed_section,
        memory_section,
        stormfront_section,
        toxigen_section,
        davidson_section,
        suite_section,
        targets_section,
        summary_section,
    ]
    return "\n\n\n".join(section(report) for section in sections)
