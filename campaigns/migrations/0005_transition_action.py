from django.db import migrations, models

# What each stored step did, from its states, as well as the states tell: a step
# that stays in its state, or leaves an accepted sheet, was a reopening. A submitted
# sheet reopened after the period closed (submitted → returned) cannot be told from a
# return by its states, so it reads as a return.
ACTION_OF = [
    ("submitted", models.Q(to_state="submitted")),
    ("accepted", models.Q(to_state="accepted")),
    ("reopened", models.Q(from_state=models.F("to_state")) | models.Q(from_state="accepted")),
    ("returned", models.Q(from_state="submitted", to_state="returned")),
]


def fill_actions(apps, schema_editor):
    Transition = apps.get_model("campaigns", "Transition")
    for action, condition in ACTION_OF:
        Transition.objects.filter(condition, action="").update(action=action)


def clear_actions(apps, schema_editor):
    apps.get_model("campaigns", "Transition").objects.update(action="")


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0004_transition_at_default"),
    ]

    operations = [
        migrations.AddField(
            model_name="transition",
            name="action",
            field=models.CharField(
                choices=[
                    ("submitted", "Submitted"),
                    ("returned", "Returned for revision"),
                    ("accepted", "Accepted"),
                    ("reopened", "Reopened"),
                    ("withdrawn", "Withdrawn by the unit"),
                ],
                default="",
                max_length=16,
                verbose_name="action",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_actions, clear_actions),
    ]
