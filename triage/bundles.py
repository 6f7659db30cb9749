"""An evidence bundle: one referral's package as a zip a force can file.

The zip holds the package as JSON (the bytes the JSON download serves), as a printable page that reads on its
own (its screenshots by relative path, no link back to the Hub needed), each screenshot as the stored
re-encoded PNG, unchanged, and a ``SHA256SUMS`` manifest that ``sha256sum -c SHA256SUMS`` checks inside the
unzipped folder.

The zip is written as it is sent: each screenshot is read from storage a chunk at a time and goes out as it
is read, so a case with many screenshots never sits in memory whole. Without a seekable file, ``zipfile``
writes each entry's sizes and checksum after its data (a data descriptor); unzip tools read them from the
zip's central directory at its end.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

from triage.models import Referral
from triage.packages import package_json, referral_package

# How much of a screenshot is read, and sent, at a time.
CHUNK_BYTES = 64 * 1024
PAGE_TEMPLATE = "triage/referral_package_standalone.html"


def screenshot_path(report_pk: int) -> str:
    """Where a report's screenshot sits inside the bundle, and how the bundle's page refers to it."""
    return f"screenshots/report-{report_pk}.png"


@dataclass
class ReferralBundle:
    referral: Referral
    package_json: bytes
    package_html: bytes
    # The reports whose screenshots it files, in the package's order.
    reports: list = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"referral-{self.referral.pk}-evidence.zip"

    def chunks(self) -> Iterator[bytes]:
        """The zip's bytes, a piece at a time, each piece sent before the next is read."""
        sink = _Sink()
        written = timezone.localtime().timetuple()[:6]
        sums: list[tuple[str, str]] = []
        with zipfile.ZipFile(sink, mode="w") as archive:
            for path, data in (("package.json", self.package_json), ("package.html", self.package_html)):
                archive.writestr(_entry(path, written, zipfile.ZIP_DEFLATED), data)
                sums.append((hashlib.sha256(data).hexdigest(), path))
                yield sink.take()
            for report in self.reports:
                path, digest = screenshot_path(report.pk), hashlib.sha256()
                # PNG is compressed already: stored as it is, it unzips to exactly the Hub's bytes, sooner.
                entry = _entry(path, written, zipfile.ZIP_STORED)
                with report.screenshot.open("rb") as source, archive.open(entry, "w") as target:
                    while piece := source.read(CHUNK_BYTES):
                        digest.update(piece)
                        target.write(piece)
                        if pending := sink.take():
                            yield pending
                sums.append((digest.hexdigest(), path))
            # Two spaces between digest and name: the form `sha256sum` writes and `sha256sum -c` reads.
            manifest = "".join(f"{hexdigest}  {path}\n" for hexdigest, path in sums).encode()
            archive.writestr(_entry("SHA256SUMS", written, zipfile.ZIP_DEFLATED), manifest)
        yield sink.take()


def referral_bundle(referral: Referral, *, viewer) -> ReferralBundle:
    """The bundle of ``referral`` as ``viewer`` may read its package (see ``referral_package``)."""
    package = referral_package(referral, viewer=viewer)
    # A stored file found missing once the zip is under way could only cut the download short: it is looked
    # for first, and one that is gone is left out and said so on the page (its digest no longer matches).
    with_screenshots = {
        report.pk: report
        for report in referral.case.reports.exclude(screenshot="")
        if report.screenshot.storage.exists(report.screenshot.name)
    }
    filed = [item for item in package["evidence"] if item["has_screenshot"] and item["report"] in with_screenshots]
    # The page in the bundle shows each screenshot from the bundle itself, not from the Hub.
    in_bundle = {item["report"]: screenshot_path(item["report"]) for item in filed}
    page = {
        **package,
        "evidence": [
            {
                **item,
                "screenshot_url": in_bundle.get(item["report"], ""),
                "screenshot_missing": item["has_screenshot"] and item["report"] not in in_bundle,
            }
            for item in package["evidence"]
        ],
    }
    html = render_to_string(PAGE_TEMPLATE, {"referral": referral, "package": page, "standalone": True})
    return ReferralBundle(
        referral=referral,
        package_json=package_json(package),
        package_html=html.encode(),
        reports=[with_screenshots[item["report"]] for item in filed],
    )


def _entry(path: str, written: tuple, compression: int) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(path, date_time=written)
    entry.compress_type = compression
    entry.external_attr = 0o644 << 16  # an ordinary readable file once unzipped
    return entry


class _Sink:
    """A write-only, non-seekable file that keeps what ``zipfile`` writes until the generator sends it."""

    def __init__(self):
        self._pieces: list[bytes] = []

    def write(self, data) -> int:
        self._pieces.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._pieces)
        self._pieces.clear()
        return data
