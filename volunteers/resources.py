"""Training records in and out of CSV, for admins (django-import-export).

An import only adds records. Every row is checked before anything is saved: a
malformed date, an unknown volunteer or module, a score out of range, a row that
repeats an earlier one, or one that contradicts a record already held makes the
whole file refused, with each bad line named (the header is line 1; blank lines
are skipped but keep their place in the count). A row the Hub already holds
exactly is skipped, so an exported file can be imported again harmlessly.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import tablib
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV
from import_export.results import RowResult

from hubsite.spreadsheets import spreadsheet_safe, spreadsheet_value
from volunteers.models import TrainingModule, TrainingRecord
from volunteers.services import training_record_save

COLUMNS = ("volunteer", "module", "completed_on", "score")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def line_of(row_number: int) -> int:
    """The file line of a data row numbered from 1 (the header is line 1)."""
    return row_number + 1


class LinedCSV(CSV):
    """CSV in which a row's number is its line in the file less one: blank lines stay, as blank rows.

    Column names are read without case or surrounding spaces; a cell the Hub's export quoted against formulas
    reads as it was; a file that is not UTF-8 text, or a line with more values than there are columns, is
    refused with what to do."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            try:
                in_stream = in_stream.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValueError(
                    "The file is not UTF-8 text. In a spreadsheet, save it as “CSV UTF-8 (comma delimited)”."
                ) from None
        rows = list(csv.reader(io.StringIO(in_stream.removeprefix("\ufeff"))))
        if not rows:
            raise ValueError("The file is empty.")
        headers = [name.strip().lower() for name in rows[0]]
        dataset = tablib.Dataset(headers=headers)
        for line, row in enumerate(rows[1:], start=2):
            if any(cell.strip() for cell in row[len(headers) :]):
                raise ValueError(f"Line {line} has more values than the first line names columns.")
            dataset.append([spreadsheet_value(cell) for cell in (row + [""] * len(headers))[: len(headers)]])
        return dataset


class VolunteerWidget(widgets.ForeignKeyWidget):
    """A volunteer by username, from the people an import loaded once (``known``) or the database."""

    def __init__(self):
        super().__init__(get_user_model(), field="username")
        self.known: dict | None = None

    def clean(self, value, row=None, **kwargs):
        username = (value or "").strip()
        if not username:
            raise ValueError("The volunteer's username is missing.")
        if self.known is not None:
            user = self.known.get(username)
        else:
            user = get_user_model().objects.filter(username=username).select_related("volunteer").first()
        if user is None:
            raise ValueError(f"No one has the username “{username}”.")
        if not hasattr(user, "volunteer"):
            raise ValueError(f"“{username}” is not a volunteer.")
        return user


class ModuleWidget(widgets.ForeignKeyWidget):
    """A training module by its short name (slug), from the modules an import loaded once (``known``)."""

    def __init__(self):
        super().__init__(TrainingModule, field="slug")
        self.known: dict | None = None

    def clean(self, value, row=None, **kwargs):
        slug = (value or "").strip().lower()
        if not slug:
            raise ValueError("The module is missing.")
        modules = self.known if self.known is not None else {m.slug: m for m in TrainingModule.objects.all()}
        module = modules.get(slug)
        if module is None:
            known = ", ".join(sorted(modules))
            raise ValueError(f"No training module is called “{slug}”. The modules are: {known}.")
        return module


class CompletedOnWidget(widgets.DateWidget):
    """A date written 2026-03-14 or 14/03/2026, not in the future."""

    def __init__(self):
        super().__init__(format=DATE_FORMATS[0])

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, date):
            day = value
        else:
            text = (value or "").strip()
            if not text:
                raise ValueError("The date of completion is missing.")
            day = parse_day(text)
            if day is None:
                raise ValueError(f"“{text}” is not a date: write it as 2026-03-14 (or 14/03/2026).")
        if day > timezone.localdate():
            raise ValueError(f"{day:%-d %B %Y} is in the future.")
        return day


def parse_day(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class ScoreWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if not text:
            return None
        try:
            score = int(text)
        except ValueError:
            raise ValueError(
                f"“{text}” is not a score: write a whole number from 0 to 100, or leave it empty."
            ) from None
        if not 0 <= score <= 100:
            raise ValueError(f"{score} is not a score: scores run from 0 to 100.")
        return score


class TrainingRecordResource(resources.ModelResource):
    """What an import reads: the four columns an admin writes."""

    volunteer = fields.Field(attribute="volunteer", column_name="volunteer", widget=VolunteerWidget())
    module = fields.Field(attribute="module", column_name="module", widget=ModuleWidget())
    completed_on = fields.Field(attribute="completed_on", column_name="completed_on", widget=CompletedOnWidget())
    score = fields.Field(attribute="score", column_name="score", widget=ScoreWidget())

    class Meta:
        model = TrainingRecord
        fields = COLUMNS
        import_id_fields = ("volunteer", "module", "completed_on")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        # The preview lists each line as written; the library's coloured diff needs inline styles.
        skip_diff = True
        store_row_values = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._seen: dict[tuple, int] = {}
        self._held: dict[int, int | None] = {}

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).select_related("volunteer__volunteer", "module", "recorded_by")

    def export_field(self, field, instance, **kwargs):
        # Usernames may start with @, + or -, and titles are typed by people: nothing runs as a formula.
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))

    def before_import(self, dataset, **kwargs):
        missing = [column for column in COLUMNS if column not in (dataset.headers or ())]
        if missing:
            raise ValueError(
                f"The file's first line must name the columns {', '.join(COLUMNS)}; it lacks {', '.join(missing)}."
            )
        self._seen.clear()
        self._held.clear()
        # Everyone and every module the file names, read once rather than for each line.
        usernames = {str(name).strip() for name in dataset["volunteer"] if name}
        people = get_user_model().objects.filter(username__in=usernames).select_related("volunteer")
        self.fields["volunteer"].widget.known = {person.username: person for person in people}
        self.fields["module"].widget.known = {module.slug: module for module in TrainingModule.objects.all()}

    def import_row(self, row, instance_loader, **kwargs):
        if not any(str(row.get(column) or "").strip() for column in COLUMNS):
            blank = self.get_row_result_class()()  # a blank line: nothing to check, nothing to import
            blank.import_type = RowResult.IMPORT_TYPE_SKIP
            return blank
        return super().import_row(row, instance_loader, **kwargs)

    def before_import_row(self, row, row_number=None, **kwargs):
        # Two rows for one volunteer, module and day: name the first, so the admin can tell which to keep.
        key = (
            str(row.get("volunteer") or "").strip(),
            str(row.get("module") or "").strip().lower(),
            parse_day(str(row.get("completed_on") or "").strip()),
        )
        if all(key):
            first = self._seen.setdefault(key, row_number)
            if first != row_number:
                raise ValidationError(f"This repeats line {line_of(first)}: one record per volunteer, module and day.")

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            # A volunteer, module or date that does not read: treat the row as new, so each field's own
            # check names what is wrong, alongside the row's other faults.
            return None

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:
            self._held[instance.pk] = instance.score

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.pk in self._held and instance.score != self._held[instance.pk]:
            # Unchanged rows were skipped before this; a changed one would silently rewrite a record.
            held = self._held[instance.pk]
            errors.setdefault("score", []).append(
                f"This volunteer's {instance.module} on {instance.completed_on:%-d %B %Y} is already recorded "
                f"with {'no score' if held is None else f'a score of {held}'}; correct that record in the admin "
                "instead, or remove this line."
            )
        try:
            # The volunteer and module were found by the widgets and a repeat by the checks above: the model's
            # own checks of them would only ask the database again, line by line.
            instance.full_clean(exclude=[*errors, "volunteer", "module", "recorded_by"], validate_unique=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        if kwargs.get("dry_run"):
            # The preview: every line has passed the checks above, and nothing of it is to be kept.
            return
        # Saved as the admin's forms and the session action save records: the service works out whether it passed
        # and when it expires, sets who recorded a new one, and notes the import in the audit log.
        training_record_save(record=instance, by=kwargs.get("user"), how="imported from a file")


class TrainingRecordExportResource(TrainingRecordResource):
    """What an export writes: the four columns, and what the Hub worked out, for reading."""

    pseudonym = fields.Field(attribute="volunteer__volunteer__pseudonym", column_name="pseudonym", readonly=True)
    module_title = fields.Field(attribute="module__title", column_name="module_title", readonly=True)
    passed = fields.Field(attribute="passed", column_name="passed", readonly=True, widget=widgets.BooleanWidget())
    expires_on = fields.Field(
        attribute="expires_on", column_name="expires_on", readonly=True, widget=widgets.DateWidget(DATE_FORMATS[0])
    )
    recorded_by = fields.Field(attribute="recorded_by__username", column_name="recorded_by", readonly=True)

    class Meta(TrainingRecordResource.Meta):
        fields = (*COLUMNS, "pseudonym", "module_title", "passed", "expires_on", "recorded_by")
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).select_related("volunteer__volunteer", "module", "recorded_by")

    def export_field(self, field, instance, **kwargs):
        # Usernames may start with @, + or -, and titles are typed by people: nothing runs as a formula.
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))
