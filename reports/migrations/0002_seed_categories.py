"""The categories a volunteer can tick when the Hub is first installed.

The five monitored hate-crime strands, with religion split into antisemitic,
anti-Muslim and other hatred, plus misogyny. Admins can add, rename, reorder
or retire categories afterwards; this migration only creates missing ones.
"""

from django.db import migrations

CATEGORIES = [
    ("race", "Race or ethnicity", "Hostility because of race, colour, nationality or ethnic or national origin."),
    ("antisemitic", "Antisemitic", "Hostility towards Jewish people."),
    ("anti-muslim", "Anti-Muslim", "Hostility towards Muslims or people perceived to be Muslim."),
    ("religion-other", "Other religion or belief", "Hostility because of another religion or belief, or lack of one."),
    ("sexual-orientation", "Sexual orientation", "Hostility because of sexual orientation."),
    ("disability", "Disability", "Hostility because of a physical or learning disability or mental ill health."),
    ("transgender", "Transgender identity", "Hostility because someone is, or is perceived to be, transgender."),
    ("misogyny", "Misogyny (sex or gender)", "Hostility towards women and girls because of their sex."),
]


def create_categories(apps, schema_editor):
    Category = apps.get_model("reports", "Category")
    for position, (slug, name, description) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
