"""The training modules every hub starts with, and a profile for each existing volunteer."""

from django.db import migrations

MODULES = [
    ("induction", "Induction", "How the Hub works, what to report and how, and how to stay safe.", 24, True, False),
    ("hate-crime-and-incidents", "Hate crime and hate incidents",
     "The five monitored strands, the difference between a hate incident and a hate crime, and the offences "
     "officers may consider.", 24, False, False),
    ("counter-speech", "Counter-speech", "Answering hate safely and well, and logging the reply.", 24, False, True),
    ("wellbeing", "Wellbeing and exposure to harmful content",
     "Recognising the toll of reading hate, taking breaks, and where to get support.", 12, False, False),
    ("data-protection", "Data protection",
     "Handling personal data in evidence under the Data Protection Act 2018, Part 3.", 12, False, False),
]  # fmt: skip


def seed(apps, schema_editor):
    TrainingModule = apps.get_model("volunteers", "TrainingModule")
    Category = apps.get_model("reports", "Category")
    for position, (slug, title, description, months, reporting, counter_speech) in enumerate(MODULES):
        TrainingModule.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "description": description,
                "validity_months": months,
                "unlocks_reporting": reporting,
                "unlocks_counter_speech": counter_speech,
                "position": position * 10,
            },
        )
    for category in Category.objects.all():
        TrainingModule.objects.get_or_create(
            slug=f"category-{category.slug}",
            defaults={
                "title": f"Recognising {category.name.lower()} hate",
                "description": f"The language, symbols and tropes of {category.name.lower()} hate.",
                "validity_months": 24,
                "unlocks_category": category,
                "position": 100 + category.position,
            },
        )


def profiles(apps, schema_editor):
    import secrets

    User = apps.get_model("hubsite", "User")
    VolunteerProfile = apps.get_model("volunteers", "VolunteerProfile")
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    for user in User.objects.filter(groups__name="volunteer", volunteer__isnull=True):
        VolunteerProfile.objects.create(
            user=user,
            status="active",
            joined_on=user.date_joined.date(),
            pseudonym="V-" + "".join(secrets.choice(alphabet) for _ in range(6)),
        )


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial"), ("reports", "0005_category_requires_training"), ("hubsite", "0005_casework_permissions")]
    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(profiles, migrations.RunPython.noop),
    ]
