"""Draw the apps and the direction of their imports, from the code, into docs/architecture.md.

    .venv/bin/python tools/architecture_diagram.py            # rewrite the diagram (what `make docs` runs)
    .venv/bin/python tools/architecture_diagram.py --check    # exit 1 when the diagram is out of date

Reads the import graph with grimp (import-linter's own reader, so the picture and `lint-imports` see the same
imports) and counts, for each pair of apps, the import statements from domain modules, and, for each app, those
into it from other apps' edges (pages, API, forms, admin, URL routes, commands, template tags), drawn as one ring
above the apps; migrations are left out. The diagram is a Mermaid chart
between two marker lines of the document, which GitHub and most Markdown viewers draw as a picture.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the apps are packages at the repository's root
DOC = ROOT / "docs" / "architecture.md"
# Highest first, as .importlinter's layers contract lists them.
APPS = ("wiring", "triage", "reports", "volunteers", "notifications", "hubsite")
# Edges: what a person or a program calls (pages, API, forms, serializers, admin, URL routes, commands, template
# tags, and the table of operations they offer), the app configurations that connect hooks at start-up, and
# migrations, which are frozen history. The rest is domain.
EDGE = re.compile(
    r"^\w+\.("
    r"(\w+_)?(views|urls)|(api|admin|forms)(_\w+)?|serializers|operations|apps|management|templatetags|migrations"
    r")(\.|$)"
)
BEGIN = "<!-- app-imports: begin (tools/architecture_diagram.py writes this part; `make docs`) -->"
END = "<!-- app-imports: end -->"


def import_counts() -> tuple[Counter, Counter]:
    """(domain, edge): import statements from one app's modules into another app, per (importer, imported)."""
    graph = grimp.build_graph(*APPS, cache_dir=None)
    domain, edge = Counter(), Counter()
    for importer in graph.modules:
        if ".migrations" in importer:
            continue
        for imported in graph.find_modules_directly_imported_by(importer):
            pair = importer.split(".")[0], imported.split(".")[0]
            if pair[1] not in APPS or pair[0] == pair[1]:
                continue
            details = graph.get_import_details(importer=importer, imported=imported)
            (edge if EDGE.match(importer) else domain)[pair] += len(details) or 1
    return domain, edge


def diagram() -> str:
    domain, edge = import_counts()
    into = Counter()
    for (_, imported), count in edge.items():
        into[imported] += count
    lines = [BEGIN, "", "```mermaid", "flowchart TD"]
    lines.append("    edges([edges: pages, API, forms, admin, routes, commands, template tags])")
    lines += [f"    {app}[{app}]" for app in APPS]
    for app in APPS:
        if into[app]:
            lines.append(f"    edges -.->|{into[app]}| {app}")
    for importer in APPS:
        for imported in APPS:
            if domain[importer, imported]:
                lines.append(f"    {importer} -->|{domain[importer, imported]}| {imported}")
    lines += ["```", "", END]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="say whether the document is up to date; change nothing")
    check = parser.parse_args().check
    text = DOC.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        print(f"{DOC} has no diagram markers: put the two lines\n{BEGIN}\n{END}\nwhere it goes.", file=sys.stderr)
        return 2
    before, rest = text.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    updated = before + diagram() + after
    if check:
        if updated != text:
            print(f"{DOC}'s diagram is out of date: run `make docs`.", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(updated, encoding="utf-8")
    print(f"Wrote the app diagram into {DOC.relative_to(ROOT)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
