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


def _reason(scorer: dict, part: str) -> str:
    """Why ``part`` of a scorer's figures is missing, or an empty string."""
    if scorer["status"] != "ok":
        return _short(f"{UNAVAILABLE}: {scorer['reason']}")
    if part == "memory" and "error" in scorer["memory"]:
        return _short(f"memory {UNAVAILABLE}: {scorer['memory']['error']}")
    return ""


def _short(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def speed_section(report: dict) -> str:
    settings = report["settings"]
    rows = []
    for scorer in report["scorers"].values():
        if scorer["status"] != "ok":
            rows.append([scorer["label"], UNAVAILABLE, "-", _reason(scorer, "speed")])
            continue
        speed = scorer["speed"]
        rows.append([scorer["label"], f"{speed['per_second']:,.0f}", f"{speed['per_second_best']:,.0f}", ""])
    title = (
        f"1. Predictions per second: one process, {settings['speed_texts']:,} posts cut to "
        f"<= {settings['max_chars']} characters, batches of {settings['speed_batch']:,}, only the predict call "
        f"timed, median of {settings['speed_passes']} passes"
    )
    lines = [title, "", table(["scorer", "posts/s", "best pass", "note"], rows)]
    target = report["target"]
    if target["per_second"] is None:
        lines.append(f"\nTarget for {target['scorer']}: >= {target['minimum']:,} posts/s: not measured.")
    else:
        verdict = "met" if target["met"] else "NOT MET"
        lines.append(
            f"\nTarget for {target['scorer']}: >= {target['minimum']:,} posts/s: {verdict} "
            f"({target['per_second']:,.0f} posts/s)."
        )
    workers = [
        f"- {scorer['label']}: {scorer['worker']['per_second']:,.0f} reports/s"
        for scorer in report["scorers"].values()
        if scorer["status"] == "ok" and scorer.get("worker")
    ]
    if workers:
        lines.append(
            "\nAs a scoring worker runs them (one process; score and categories in batches of 32, "
            "plus each report's explanation):"
        )
        lines.extend(workers)
    return "\n".join(lines)


def training_section(report: dict) -> str:
    data = report["data"]["train_size_run"]
    rows = []
    for scorer in report["scorers"].values():
        if scorer["status"] != "ok":
            rows.append([scorer["label"], UNAVAILABLE, _reason(scorer, "train")])
        elif scorer["train_seconds"] is None:
            rows.append([scorer["label"], "pre-trained", ""])
        else:
            rows.append([scorer["label"], f"{scorer['train_seconds']:.1f}", ""])
    repeated = f"; {data['repeated']:,} rows drawn twice to make up the number" if data["repeated"] else ""
    title = (
        f"2. Time to train on {data['rows']:,} posts (Davidson training rows and the seed corpus, "
        f"{data['pool']:,} in all, shuffled with seed {report['settings']['seed']}{repeated}), "
        "hate model with its category heads"
    )
    return "\n".join([title, "", table(["scorer", "seconds", "note"], rows)])


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
        "3. Memory of the loaded model: RSS growth of a fresh process from before importing the scorer to "
        "after loading its model and scoring one post (MB = 10^6 bytes); model file: our skops artifact, "
        "the peers' shipped model files"
    )
    headers = ["scorer", "RSS growth MB", "RSS after MB", "import+load s", "model file MB", "note"]
    return "\n".join([title, "", table(headers, rows)])


def davidson_section(report: dict) -> str:
    data = report["data"]["davidson"]
    classes = ", ".join(f"{name} {count:,}" for name, count in data["test_classes"].items())
    rows = []
    for scorer in report["scorers"].values():
        if scorer["status"] != "ok":
            rows.append([scorer["label"], *["-"] * 4, _reason(scorer, "davidson")])
            continue
        hate, abusive = scorer["davidson"]["hate"], scorer["davidson"]["abusive"]
        rows.append(
            [
                scorer["label"],
                _number(hate["roc_auc"]),
                _number(hate["macro_f1"]),
                _number(abusive["roc_auc"]),
                _number(abusive["macro_f1"]),
                "",
            ]
        )
    title = (
        f"4. Davidson held-out split: {data['test_rows']:,} rows ({classes}), stratified "
        f"{report['settings']['held_out_share']:.0%}, seed {report['settings']['seed']}; "
        f"macro-F1 at threshold {report['settings']['threshold']}"
    )
    headers = ["scorer", "hate AUC", "hate macro-F1", "abusive AUC", "abusive macro-F1", "note"]
    return "\n".join(
        [
            title,
            "   (a) hate vs rest   (b) abusive (hate or offensive) vs neither",
            "",
            table(headers, rows),
        ]
    )


def suite_section(report: dict) -> str:
    available = [scorer for scorer in report["scorers"].values() if scorer["status"] == "ok"]
    missing = [scorer for scorer in report["scorers"].values() if scorer["status"] != "ok"]
    title = (
        f"5. Functional suite: {report['data']['suite_cases']} cases, never trained on; "
        f"threshold {report['settings']['threshold']}"
    )
    lines = [title, ""]
    overall = [
        [scorer["label"], _number(scorer["suite"]["macro_f1"]), _number(scorer["suite"]["accuracy"])]
        for scorer in available
    ]
    overall += [[scorer["label"], "-", "-"] for scorer in missing]
    lines.append(table(["scorer", "macro-F1", "accuracy"], overall))
    if available:
        labels = [scorer["label"] for scorer in available]
        first = available[0]["suite"]
        for key, heading in (("by_phenomenon", "phenomenon"), ("by_group", "group")):
            rows = []
            for name, row in first[key].items():
                cells = [name]
                if key == "by_phenomenon":
                    cells.append("hateful" if name in report["hateful_phenomena"] else "not")
                cells.append(str(row["cases"]))
                cells += [_number(scorer["suite"][key][name]["accuracy"], 3) for scorer in available]
                rows.append(cells)
            headers = [heading, *(["expects"] if key == "by_phenomenon" else []), "cases", *labels]
            lines += ["", f"Accuracy by {heading}:", "", table(headers, rows)]
    return "\n".join(lines)


def summary_section(report: dict) -> str:
    rows = []
    for scorer in report["scorers"].values():
        if scorer["status"] != "ok":
            rows.append([scorer["label"], *["-"] * 6, _reason(scorer, "summary")])
            continue
        memory = scorer["memory"]
        rows.append(
            [
                scorer["label"],
                f"{scorer['speed']['per_second']:,.0f}",
                "pre-trained" if scorer["train_seconds"] is None else f"{scorer['train_seconds']:.1f}",
                "-" if "error" in memory else f"{memory['growth_mb']:.1f}",
                _number(scorer["davidson"]["hate"]["roc_auc"]),
                _number(scorer["davidson"]["abusive"]["roc_auc"]),
                _number(scorer["suite"]["macro_f1"]),
                "",
            ]
        )
    headers = ["scorer", "posts/s", "train s", "MB", "hate AUC", "abusive AUC", "suite macro-F1", "note"]
    lines = ["Summary", "", table(headers, rows)]
    if report["notes"]:
        lines += ["", "Notes:"] + [f"- {note}" for note in report["notes"]]
    return "\n".join(lines)


def render(report: dict) -> str:
    """Every section, then the summary, separated by blank lines."""
    sections = [speed_section, training_section, memory_section, davidson_section, suite_section, summary_section]
    return "\n\n\n".join(section(report) for section in sections)
