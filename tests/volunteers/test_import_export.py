"""Training records in and out of CSV: every line checked, nothing imported unless all pass."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hubsite.roles import Role
from tests.auth import sign_in_verified
from tests.factories import UserFactory, training_record
from volunteers.models import TrainingModule, TrainingRecord
from volunteers.resources import TrainingRecordExportResource

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
IMPORT = reverse("admin:volunteers_trainingrecord_import")
CONFIRM = reverse("admin:volunteers_trainingrecord_process_import")
EXPORT = reverse("admin:volunteers_trainingrecord_export")


def upload(client, text: str):
    """Send a CSV to the import page: the preview, or the list of wrong lines."""
    csv_file = SimpleUploadedFile("training.csv", text.encode(), content_type="text/csv")
    return client.post(IMPORT, {"import_file": csv_file, "format": "0", "resource": "0"})


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(CONFIRM, {name: form.initial[name] for name in form.fields})


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    """Where an upload waits between its preview and its confirmation."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "django-import-export"


def waiting(uploads) -> list:
    return list(uploads.iterdir()) if uploads.exists() else []


@pytest.fixture
def volunteers():
    return UserFactory(username="amira", role=Role.VOLUNTEER), UserFactory(username="ben", role=Role.VOLUNTEER)


def test_an_admin_imports_a_file_after_a_preview(client, sign_in, volunteers, uploads):
    admin_user = sign_in(Role.ADMIN)
    preview = upload(
        client,
        f"volunteer,module,completed_on,score\n"
        f"amira,wellbeing,{TODAY:%Y-%m-%d},\n"
        f"ben,counter-speech,{TODAY - timedelta(days=3):%d/%m/%Y},85\n",
    )
    shown = preview.content.decode()
    assert preview.status_code == 200 and "Confirm import" in shown
    assert shown.count("<td>Added</td>") == 2 and "<td>amira</td><td>wellbeing</td>" in shown
    assert TrainingRecord.objects.filter(recorded_by=admin_user).count() == 0  # the preview saves nothing
    assert len(waiting(uploads)) == 1
    done = confirm(client, preview)
    assert done.status_code == 302 and waiting(uploads) == []
    made = TrainingRecord.objects.filter(recorded_by=admin_user).order_by("volunteer__username")
    assert [(r.volunteer.username, r.module.slug, r.score) for r in made] == [
        ("amira", "wellbeing", None),
        ("ben", "counter-speech", 85),
    ]
    assert made[1].completed_on == TODAY - timedelta(days=3) and made[1].expires_on is not None


def test_a_file_with_bad_lines_imports_nothing_and_names_each_line(client, sign_in, volunteers, uploads):
    sign_in(Role.ADMIN)
    UserFactory(username="an-officer", role=Role.OFFICER)
    before = TrainingRecord.objects.count()
    response = upload(
        client,
        "volunteer,module,completed_on,score\n"
        f"amira,wellbeing,{TODAY:%Y-%m-%d},90\n"  # line 2: fine
        "ben,wellbeing,31/02/2026,90\n"  # line 3: no such date
        f"nobody,wellbeing,{TODAY:%Y-%m-%d},90\n"  # line 4: unknown volunteer
        f"ben,knitting,{TODAY:%Y-%m-%d},90\n"  # line 5: unknown module
        f"amira,wellbeing,{TODAY:%d/%m/%Y},90\n"  # line 6: repeats line 2
        f"an-officer,wellbeing,{TODAY:%Y-%m-%d},\n"  # line 7: not a volunteer
        f"ben,data-protection,{TODAY:%Y-%m-%d},140\n",  # line 8: score out of range
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Confirm import" not in page
    assert "6 lines need correcting" in page
    for line, says in [
        (3, "“31/02/2026” is not a date"),
        (4, "No one has the username “nobody”"),
        (5, "No training module is called “knitting”"),
        (6, "This repeats line 2"),
        (7, "“an-officer” is not a volunteer"),
        (8, "140 is not a score"),
    ]:
        assert f"Line {line}</th>" in page and says in page, (line, says)
    assert "Line 2</th>" not in page
    assert TrainingRecord.objects.count() == before
    assert waiting(uploads) == []  # a refused file is not kept


def test_a_line_contradicting_a_held_record_is_refused_and_an_identical_one_skipped(client, sign_in, volunteers):
    amira, ben = volunteers
    sign_in(Role.ADMIN)
    wellbeing = TrainingModule.objects.get(slug="wellbeing")
    training_record(volunteer=amira, module=wellbeing, completed_on=TODAY, score=70)
    training_record(volunteer=ben, module=wellbeing, completed_on=TODAY, score=80)
    response = upload(
        client,
        f"volunteer,module,completed_on,score\namira,wellbeing,{TODAY},70\nben,wellbeing,{TODAY},95\n",
    )
    page = response.content.decode()
    assert "Line 3</th>" in page and "already recorded with a score of 80" in page and "Line 2</th>" not in page
    assert TrainingRecord.objects.get(volunteer=ben, module=wellbeing).score == 80


def test_a_file_without_the_columns_says_which_are_missing(client, sign_in, volunteers):
    sign_in(Role.ADMIN)
    page = upload(client, "name,course\namira,wellbeing\n").content.decode()
    assert "it lacks volunteer, module, completed_on, score" in page and "Confirm import" not in page


def test_an_exported_file_imports_again_changing_nothing(client, sign_in, volunteers):
    amira, _ = volunteers
    sign_in(Role.ADMIN)
    training_record(volunteer=amira, module=TrainingModule.objects.get(slug="wellbeing"), completed_on=TODAY, score=70)
    exported = TrainingRecordExportResource().export().csv
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert {row["volunteer"] for row in rows} == {"amira", "ben"}  # ben's induction comes from the factory
    wellbeing = next(row for row in rows if row["module"] == "wellbeing")
    assert wellbeing["pseudonym"] == amira.volunteer.pseudonym and wellbeing["passed"] == "1"
    before = list(TrainingRecord.objects.values_list("pk", "score", "recorded_by"))
    preview = upload(client, exported)
    assert "Confirm import" in preview.content.decode()
    assert confirm(client, preview).status_code == 302
    assert list(TrainingRecord.objects.values_list("pk", "score", "recorded_by")) == before


def test_the_admin_export_downloads_the_filtered_records_as_csv(client, sign_in, volunteers):
    amira, ben = volunteers
    sign_in(Role.ADMIN)
    wellbeing = TrainingModule.objects.get(slug="wellbeing")
    training_record(volunteer=amira, module=wellbeing, completed_on=TODAY - timedelta(days=800))
    assert client.get(EXPORT, {"state": "expired"}).status_code == 200
    response = client.post(f"{EXPORT}?state=expired", {"format": "0", "resource": "0"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["volunteer"], row["module"]) for row in rows] == [("amira", "wellbeing")]


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.OFFICER, Role.LIAISON, Role.PARTNER])
def test_only_admins_import_or_export_training_records(client, sign_in, volunteers, role):
    sign_in(role)
    for url in (IMPORT, EXPORT):
        response = client.get(url)
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    before = TrainingRecord.objects.count()
    upload(client, f"volunteer,module,completed_on,score\namira,wellbeing,{TODAY},\n")
    assert TrainingRecord.objects.count() == before


def test_a_file_that_stops_passing_between_preview_and_confirmation_imports_nothing(client, sign_in, volunteers):
    amira, ben = volunteers
    sign_in(Role.ADMIN)
    preview = upload(
        client, f"volunteer,module,completed_on,score\namira,wellbeing,{TODAY},70\nben,wellbeing,{TODAY},75\n"
    )
    assert "Confirm import" in preview.content.decode()
    # Meanwhile someone records ben's session by hand, with another score.
    training_record(volunteer=ben, module=TrainingModule.objects.get(slug="wellbeing"), completed_on=TODAY, score=60)
    done = confirm(client, preview)
    assert done.status_code == 302 and done["Location"] == IMPORT
    assert not TrainingRecord.objects.filter(volunteer=amira, module__slug="wellbeing").exists()
    assert "Nothing was imported" in client.get(IMPORT).content.decode()


def test_spreadsheet_habits_are_read_as_meant(client, sign_in, volunteers, uploads):
    """A byte-order mark, capitalised and spaced column names, blank and empty lines: all fine."""
    sign_in(Role.ADMIN)
    text = (
        "\ufeffVolunteer , Module,Completed_On ,Score\r\n"
        f"amira,wellbeing,{TODAY},80\r\n"
        "\r\n"
        ",,,\r\n"
        f"ben,wellbeing,{TODAY},\r\n"
    )
    preview = upload(client, text)
    shown = preview.content.decode()
    assert "Confirm import" in shown and shown.count("Blank line, skipped") == 2
    confirm(client, preview)
    assert TrainingRecord.objects.filter(module__slug="wellbeing").count() == 2


def test_lines_are_named_by_their_place_in_the_file_blank_lines_included(client, sign_in, volunteers):
    sign_in(Role.ADMIN)
    page = upload(
        client, f"volunteer,module,completed_on,score\n\namira,wellbeing,{TODAY},\n\nnobody,wellbeing,{TODAY},\n"
    )
    assert "Line 5</th>" in page.content.decode() and "Line 4</th>" not in page.content.decode()


@pytest.mark.parametrize(
    "content, says",
    [
        (
            "volunteer,module,completed_on,score\nambr\xe9,wellbeing,2026-01-02,\n".encode("latin-1"),
            "is not UTF-8 text",
        ),
        (b"volunteer,module,completed_on,score\namira,wellbeing,2026-01-02,,extra\n", "Line 2 has more values"),
    ],
)
def test_an_unreadable_file_says_what_to_do_and_is_not_kept(client, sign_in, volunteers, uploads, content, says):
    sign_in(Role.ADMIN)
    csv_file = SimpleUploadedFile("training.csv", content, content_type="text/csv")
    page = client.post(IMPORT, {"import_file": csv_file, "format": "0", "resource": "0"}).content.decode()
    assert says in page and "Confirm import" not in page
    assert waiting(uploads) == []


def test_an_import_reads_people_and_modules_once_not_per_line(client, sign_in, django_assert_max_num_queries):
    sign_in(Role.ADMIN)
    people = [UserFactory(role=Role.VOLUNTEER, trained=False) for _ in range(20)]
    text = "volunteer,module,completed_on,score\n" + "".join(f"{p.username},wellbeing,{TODAY},\n" for p in people)
    few = "volunteer,module,completed_on,score\n" + "".join(f"{p.username},wellbeing,{TODAY},\n" for p in people[:2])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        upload(client, few)
    with CaptureQueriesContext(connection) as twenty:
        upload(client, text)
    per_line = (len(twenty.captured_queries) - len(two.captured_queries)) / 18
    assert per_line <= 4, f"{per_line:.1f} queries a line"


def test_staff_without_the_training_record_permissions_cannot_import_or_export(client, volunteers):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_trainingrecord"))
    nobody = UserFactory(is_staff=True)
    for person, may_export in ((viewer, True), (nobody, False)):
        sign_in_verified(client, person)
        assert client.get(IMPORT).status_code == 403
        assert client.get(EXPORT).status_code == (200 if may_export else 403)
        refused = upload(client, f"volunteer,module,completed_on,score\namira,wellbeing,{TODAY},\n")
        assert refused.status_code == 403
        forged = client.post(
            CONFIRM,
            {"import_file_name": "anything", "original_file_name": "t.csv", "format": "0", "resource": "0"},
        )
        assert forged.status_code == 403
    assert not TrainingRecord.objects.filter(module__slug="wellbeing").exists()


def test_a_previewed_file_never_confirmed_is_deleted_after_a_day(client, sign_in, volunteers, uploads, settings):
    import os

    from volunteers.tasks import purge_abandoned_imports

    sign_in(Role.ADMIN)
    upload(client, f"volunteer,module,completed_on,score\namira,wellbeing,{TODAY:%Y-%m-%d},\n")
    upload(client, f"volunteer,module,completed_on,score\nben,wellbeing,{TODAY:%Y-%m-%d},\n")
    abandoned, recent = sorted(waiting(uploads))
    a_day_ago = (timezone.now() - settings.IMPORT_UPLOAD_MAX_AGE - timedelta(minutes=1)).timestamp()
    os.utime(abandoned, (a_day_ago, a_day_ago))

    purge_abandoned_imports.delay()

    assert waiting(uploads) == [recent], "only the file left longer than IMPORT_UPLOAD_MAX_AGE goes"
    assert "purge-abandoned-imports" in settings.CELERY_BEAT_SCHEDULE


def test_the_purge_of_abandoned_imports_copes_with_no_upload_ever(uploads):
    from volunteers.services import import_uploads_purge

    assert not uploads.exists()
    assert import_uploads_purge(older_than=timedelta(hours=1)) == 0


def test_nothing_in_an_export_runs_as_a_spreadsheet_formula_and_it_imports_again_unchanged(client, sign_in):
    at_someone = UserFactory(username="@someone", role=Role.VOLUNTEER)
    module = TrainingModule.objects.get(slug="wellbeing")
    module.title = '=HYPERLINK("http://example.invalid","Wellbeing")'
    module.save(update_fields=["title"])
    training_record(volunteer=at_someone, module=module, completed_on=TODAY, score=70)
    sign_in(Role.ADMIN)

    exported = TrainingRecordExportResource().export().csv
    row = next(row for row in csv.DictReader(io.StringIO(exported)) if row["module"] == "wellbeing")
    assert row["volunteer"] == "'@someone" and row["module_title"] == "'" + module.title

    before = list(TrainingRecord.objects.values_list("pk", "volunteer", "module", "score"))
    preview = upload(client, exported)
    assert "Confirm import" in preview.content.decode(), "the quoted username is read as the person's own"
    assert confirm(client, preview).status_code == 302
    assert list(TrainingRecord.objects.values_list("pk", "volunteer", "module", "score")) == before
