"""A force's liaison, on a phone, opens a referral and downloads its evidence bundle: the zip holds the package
as JSON and as a page, the screenshot as the Hub stores it, and a SHA256SUMS that `sha256sum -c` accepts."""

import shutil
import subprocess
import zipfile

import pytest

from hubsite.models import AuditEvent
from hubsite.roles import Role
from tests.auth import authenticator
from tests.e2e.conftest import PHONE, assert_accessible
from tests.e2e.test_report_journey import sign_in
from tests.factories import ReportFactory, UserFactory
from tests.images import image_upload
from triage import casework
from triage.models import Force, ForceLiaison, Offence


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_liaison_downloads_the_evidence_bundle_on_a_phone(live_server, reference_data, new_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    officer = UserFactory(role=Role.OFFICER, username="hub_officer")
    liaison = UserFactory(role=Role.LIAISON)
    authenticator(liaison)
    kent = Force.objects.get(slug="kent-police")
    ForceLiaison.objects.create(user=liaison, force=kent)
    report = ReportFactory(captured_text="We know where the mosque is and we are coming")
    report.screenshot.save("shot.png", image_upload(size=(320, 200)))
    casework.case_add_note(case=report.case, officer=officer, note="Internal: watch this account")
    referral = casework.case_refer(
        case=report.case, officer=officer, force=kent, offences=Offence.objects.all()[:1], summary="Threat to a mosque."
    )

    page = new_page(PHONE)
    sign_in(page, live_server.url, liaison.username)
    page.wait_for_url("**/liaison/")
    page.get_by_role("link", name=f"Referral {referral.pk}").click()
    page.wait_for_url(f"**/liaison/referrals/{referral.pk}/")
    link = page.get_by_role("link", name="Download the evidence bundle (zip)")
    link.scroll_into_view_if_needed()
    assert link.is_visible()
    # Nothing on the phone's page runs off its side.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"referral-{referral.pk}-evidence.zip"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    archive = zipfile.ZipFile(saved)
    screenshot = f"screenshots/report-{report.pk}.png"
    assert archive.namelist() == ["package.json", "package.html", screenshot, "SHA256SUMS"]
    with report.screenshot.open("rb") as stored:
        assert archive.read(screenshot) == stored.read()
    page_in_bundle = archive.read("package.html").decode()
    assert "Threat to a mosque." in page_in_bundle and f'src="{screenshot}"' in page_in_bundle
    for name in ("package.json", "package.html"):
        assert b"Internal: watch this account" not in archive.read(name)
        assert b"hub_officer" not in archive.read(name)

    folder = tmp_path / "unzipped"
    archive.extractall(folder)
    sha256sum = shutil.which("sha256sum")
    assert sha256sum, "needs coreutils' sha256sum"
    checked = subprocess.run(  # noqa: S603 (a fixed command on files the test wrote)
        [sha256sum, "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr

    # The page in the bundle reads on its own, from the unzipped folder, with its screenshot.
    offline = new_page(PHONE)
    offline.goto((folder / "package.html").as_uri())
    picture = offline.get_by_role("img", name=f"Screenshot of the post sent with report {report.pk}")
    offline.wait_for_function("img => img.complete && img.naturalWidth === 320", arg=picture.element_handle())
    assert offline.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(offline)

    entry = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED, actor=liaison)
    assert entry.object_id == str(referral.pk) and entry.detail["screenshots"] == [report.pk]
