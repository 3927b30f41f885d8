"""Fill the normalised name columns for existing rows.

(A first version also added ``pg_trgm`` GIN indexes on ``search_name``; measured with
bench/case_pages.py they took 15–20 ms per word at 100,000 people, because names share
trigrams, so name search uses B-tree prefix lookups on ``PersonNameWord`` instead — 0004.)"""

from django.db import migrations


def backfill(apps, schema_editor):
    from comeforward.people.domain.matching import search_name_for, soundex

    for model_name in ("Person", "PersonAlias"):
        model = apps.get_model("people", model_name)
        for row in model.objects.filter(search_name="").iterator():
            row.search_name = search_name_for(row.given_names, row.family_name)
            row.family_soundex = soundex(row.family_name)
            row.save(update_fields=["search_name", "family_soundex"])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_details_aliases_merge"),
        ("cases", "0002_status_history"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
