from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UnitKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    DEPARTMENT = "department", _("Department (Vụ)")
    OFFICE = "office", _("Office")
    INSPECTORATE = "inspectorate", _("Inspectorate")
    GENERAL_DEPARTMENT = "general_department", _("General department")
    ADMINISTRATION = "administration", _("Administration (Cục)")
    INSTITUTE = "institute", _("Institute")
    CENTRE = "centre", _("Centre")
    SCHOOL = "school", _("School")
    PRESS = "press", _("Press")
    ENTERPRISE = "enterprise", _("Enterprise")
    PUBLIC_SERVICE = "public_service", _("Public service unit")
    PROVINCIAL_DEPARTMENT = "provincial_department", _("Provincial department")
    SUB_UNIT = "sub_unit", _("Sub-unit")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    """A user's role within one unit."""

    HEAD = "head", pgettext_lazy("unit role", "Head")
    DEPUTY = "deputy", pgettext_lazy("unit role", "Deputy head")
    OFFICER = "officer", pgettext_lazy("unit role", "Emulation officer of the unit")
    MEMBER = "member", pgettext_lazy("unit role", "Member")


# Roles that may fill and submit the unit's self-assessment.
UNIT_MANAGING_ROLES = (Role.HEAD, Role.DEPUTY, Role.OFFICER)


class MinistryRole(models.TextChoices):
    """A ministry-wide role, a flag on the user (units.models.User), as it is named
    on the pages: the Department's emulation officer is not a unit's delegated one."""

    ADMIN = "admin", pgettext_lazy("ministry role", "System administrator")
    OFFICER = (
        "officer",
        pgettext_lazy(
            "ministry role", "Emulation officer of the Department of Organization and Personnel"
        ),
    )
    LEADERSHIP = "leadership", pgettext_lazy("ministry role", "Ministry leadership")
    COUNCIL = (
        "council",
        pgettext_lazy("ministry role", "Member of the Emulation and Commendation Council"),
    )


class PersonCategory(models.TextChoices):
    CADRE = "cadre", _("Cadre")
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    PUBLIC_EMPLOYEE = "public_employee", _("Public employee")
    WORKER = "worker", _("Worker")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class GroupKind(models.TextChoices):
    BLOCK = "block", _("Emulation block")
    CLUSTER = "cluster", _("Emulation cluster")


class ImportStatus(models.TextChoices):
    """Where a background import stands (units.imports)."""

    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Refused")
