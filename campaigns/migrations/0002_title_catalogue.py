from django.db import migrations


def load(apps, schema_editor):
    from campaigns.data.titles import load_titles

    load_titles(apps.get_model("campaigns", "Title"))


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
