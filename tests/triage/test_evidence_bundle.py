"""A referral's evidence bundle: one zip with the package as JSON and as a page, every screenshot as stored,
and a SHA256SUMS that `sha256sum -c` accepts; for those who may read the package only, audited, and written as
it is sent."""

import io
import os
import shutil
import subprocess
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.http import StreamingHttpResponse
from django.urls import reverse
from PIL import Image

from hubsite.models import AuditEvent
from hubsite.roles import Role
from tests.auth import sign_in_verified
from tests.factories import ReportFactory, UserFactory
from tests.images import image_upload
from triage import bundles, casework
from triage.models import Force, Offence

pytestmark = pytest.mark.django_db

SHA256SUM = shutil.which("sha256sum")  # coreutils, as a force's filing clerk would run it
UNZIP = shutil.which("unzip")


def _noise_png(size=(40, 30)) -> bytes:
    """A PNG of random pixels: it does not compress, so its file is about 3 bytes a pixel."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def referred(settings, tmp_path):
    """A case of three reports, two with screenshots, referred to Kent."""
    settings.MEDIA_ROOT = tmp_path / "media"
    first = ReportFactory(captured_text="We know where the mosque is")
    first.screenshot.save("shot.png", ContentFile(image_upload().read()))
    second = ReportFactory(case=first.case, captured_text="Same post, seen again")
    second.screenshot.save("shot.png", ContentFile(_noise_png()))
    ReportFactory(case=first.case, captured_text="No screenshot with this one")
    referral = casework.case_refer(
        case=first.case,
        officer=UserFactory(role=Role.OFFICER, username="officer_sender"),
        force=Force.objects.get(slug="kent-police"),
        offences=Offence.objects.all()[:1],
        summary="Threat against a mosque.",
    )
    return referral, [first, second]


def _download(client, url) -> zipfile.ZipFile:
    response = client.get(url)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_a_liaison_downloads_the_package_its_screenshots_and_their_checksums(client, referred, liaison_of):
    referral, reports = referred
    sign_in_verified(client, liaison_of("kent-police"))
    url = reverse("liaison:package-bundle", args=[referral.pk])
    response = client.get(url)
    assert response["Content-Disposition"] == f'attachment; filename="referral-{referral.pk}-evidence.zip"'
    archive = _download(client, url)
    assert archive.testzip() is None
    shots = [f"screenshots/report-{report.pk}.png" for report in reports]
    assert archive.namelist() == ["package.json", "package.html", *shots, "SHA256SUMS"]

    # The JSON download's bytes, exactly (the force's view of it: no internal names).
    json_download = client.get(reverse("liaison:package-json", args=[referral.pk])).content
    assert archive.read("package.json") == json_download
    assert b"officer_sender" not in archive.read("package.json")
    # Each screenshot as the Hub stores it, unchanged.
    for report, name in zip(reports, shots, strict=True):
        with report.screenshot.open("rb") as stored:
            assert archive.read(name) == stored.read()

    # The page reads on its own: screenshots from the bundle, nothing fetched from the Hub.
    page = archive.read("package.html").decode()
    assert "Threat against a mosque." in page and "We know where the mosque is" in page
    for report, name in zip(reports, shots, strict=True):
        assert f'<img class="screenshot" src="{name}"' in page
        assert reverse("liaison:screenshot", args=[referral.pk, report.pk]) not in page
    assert "/static/" not in page and 'href="/' not in page and 'src="/' not in page
    assert "officer_sender" not in page


def test_sha256sum_checks_every_file_of_the_unzipped_bundle(client, referred, tmp_path):
    assert SHA256SUM and UNZIP, "needs coreutils' sha256sum and Info-ZIP's unzip (.ci/run installs them)"
    referral, _ = referred
    sign_in_verified(client, UserFactory(role=Role.OFFICER))
    response = client.get(reverse("triage:referral-bundle", args=[referral.pk]))
    (tmp_path / "bundle.zip").write_bytes(b"".join(response.streaming_content))
    folder = tmp_path / "unzipped"
    # Info-ZIP's unzip, as a force would open it.
    subprocess.run([UNZIP, "-q", tmp_path / "bundle.zip", "-d", folder], check=True)
    manifest = (folder / "SHA256SUMS").read_text()
    listed = [line.split("  ", 1)[1] for line in manifest.splitlines()]
    on_disk = sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())
    assert sorted([*listed, "SHA256SUMS"]) == on_disk

    checked = subprocess.run([SHA256SUM, "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": OK") == len(listed)

    # And it would notice a change.
    (folder / listed[-1]).write_bytes(b"altered")
    assert subprocess.run([SHA256SUM, "-c", "SHA256SUMS"], cwd=folder, capture_output=True).returncode == 1


def test_an_officer_reads_the_whole_package_in_the_bundle(client, referred):
    referral, _ = referred
    sign_in_verified(client, UserFactory(role=Role.OFFICER))
    archive = _download(client, reverse("triage:referral-bundle", args=[referral.pk]))
    assert archive.read("package.json") == client.get(reverse("triage:referral-json", args=[referral.pk])).content
    assert b"officer_sender" in archive.read("package.json")


def test_the_bundle_is_refused_to_another_force_and_to_volunteers_and_nothing_is_audited(client, referred, liaison_of):
    referral, reports = referred
    for person in (
        liaison_of("essex-police"),
        UserFactory(role=Role.VOLUNTEER),
        reports[0].reporter,
        UserFactory(role=Role.ADMIN),
        UserFactory(role=Role.PARTNER),
    ):
        sign_in_verified(client, person)
        for name in ("triage:referral-bundle", "liaison:package-bundle"):
            assert client.get(reverse(name, args=[referral.pk])).status_code == 404, (person, name)
    assert not AuditEvent.objects.filter(
        action__in=[AuditEvent.Action.EXPORTED, AuditEvent.Action.SCREENSHOT_VIEWED]
    ).exists()


def test_the_download_is_audited_naming_who_and_which_referral_and_each_screenshot(client, referred, liaison_of):
    referral, reports = referred
    liaison = liaison_of("kent-police")
    sign_in_verified(client, liaison)
    client.get(reverse("liaison:package-bundle", args=[referral.pk]))
    export = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED)
    assert (export.actor, export.object_type, export.object_id) == (liaison, "triage.referral", str(referral.pk))
    assert export.summary == "Evidence bundle (zip) with 2 screenshots"
    assert export.detail == {"bundle": True, "screenshots": [report.pk for report in reports]}
    reads = AuditEvent.objects.filter(action=AuditEvent.Action.SCREENSHOT_VIEWED, actor=liaison)
    assert sorted(reads.values_list("object_id", flat=True)) == sorted(str(report.pk) for report in reports)
    assert {entry.detail["referral"] for entry in reads} == {referral.pk}


def test_the_bundle_is_written_as_it_is_sent_a_chunk_at_a_time(client, referred, monkeypatch):
    """Screenshots larger than a chunk go out in pieces no bigger than a chunk and a zip header: no file, and
    not the whole zip, is held in memory."""
    referral, reports = referred
    for report in reports:
        report.screenshot.save("shot.png", ContentFile(_noise_png(size=(64, 64))))
    extra = ReportFactory(case=referral.case)
    extra.screenshot.save("shot.png", ContentFile(_noise_png(size=(64, 64))))
    monkeypatch.setattr(bundles, "CHUNK_BYTES", 1024)
    sign_in_verified(client, UserFactory(role=Role.OFFICER))

    response = client.get(reverse("triage:referral-bundle", args=[referral.pk]))
    assert isinstance(response, StreamingHttpResponse) and response.streaming
    pieces = list(response.streaming_content)
    assert min(report.screenshot.size for report in [*reports, extra]) > 10 * 1024
    assert len(pieces) > 3 * 10
    # The package's two entries go first, whole; then no piece is larger than a chunk and an entry's header.
    assert max(len(piece) for piece in pieces[2:]) <= 1024 + 200, "a piece larger than a chunk"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(pieces)))
    assert len([name for name in archive.namelist() if name.startswith("screenshots/")]) == 3


def test_a_redacted_report_leaves_no_screenshot_in_the_bundle(client, referred):
    referral, reports = referred
    reports[1].screenshot.delete()
    sign_in_verified(client, UserFactory(role=Role.OFFICER))
    archive = _download(client, reverse("triage:referral-bundle", args=[referral.pk]))
    assert archive.namelist() == [
        "package.json",
        "package.html",
        f"screenshots/report-{reports[0].pk}.png",
        "SHA256SUMS",
    ]


def test_a_screenshot_missing_from_storage_is_left_out_and_said_so(client, referred):
    """The zip stays whole and its SHA256SUMS true; its page says the file is missing."""
    referral, reports = referred
    reports[0].screenshot.storage.delete(reports[0].screenshot.name)
    sign_in_verified(client, UserFactory(role=Role.OFFICER))
    archive = _download(client, reverse("triage:referral-bundle", args=[referral.pk]))
    assert archive.testzip() is None
    shot = f"screenshots/report-{reports[1].pk}.png"
    assert archive.namelist() == ["package.json", "package.html", shot, "SHA256SUMS"]
    assert shot in archive.read("SHA256SUMS").decode() and "package.json" in archive.read("SHA256SUMS").decode()
    page = archive.read("package.html").decode()
    assert "its stored file is missing: not in this bundle" in page
    assert "the stored evidence does NOT match" in page


def test_the_package_page_offers_the_bundle_to_officers_and_the_liaison(client, referred, liaison_of):
    referral, _ = referred
    sign_in_verified(client, UserFactory(role=Role.OFFICER))
    page = client.get(reverse("triage:referral", args=[referral.pk])).content.decode()
    assert f'<a href="{reverse("triage:referral-bundle", args=[referral.pk])}" download>' in page
    assert "Download the evidence bundle (zip)" in page
    sign_in_verified(client, liaison_of("kent-police"))
    page = client.get(reverse("liaison:referral", args=[referral.pk])).content.decode()
    assert f'<a href="{reverse("liaison:package-bundle", args=[referral.pk])}" download>' in page
