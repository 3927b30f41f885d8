"""Interview offence codes become the law engine's values (``comeforward.law.Offence``):
``pca_1978_s1`` → ``PCA1978_S1``, ``cja_1988_s160`` → ``CJA1988_S160`` (issue 20.3)."""

from django.db import migrations

FORWARD = {"pca_1978_s1": "PCA1978_S1", "cja_1988_s160": "CJA1988_S160"}
BACKWARD = {v: k for k, v in FORWARD.items()}


def _convert(mapping):
    def run(apps, schema_editor):
        Interview = apps.get_model("interviews", "Interview")
        for interview in Interview.objects.only("pk", "offences_admitted").iterator():
            codes = interview.offences_admitted or []
            new = sorted({mapping.get(code, code) for code in codes})
            if new != codes:
                Interview.objects.filter(pk=interview.pk).update(offences_admitted=new)

    return run


class Migration(migrations.Migration):
    dependencies = [("interviews", "0001_initial")]

    operations = [migrations.RunPython(_convert(FORWARD), _convert(BACKWARD))]
