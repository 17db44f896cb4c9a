"""Demo sign-ins: one per role of DESIGN.md, plus a head for every participating unit.

Every account gets settings.DEMO_PASSWORD when it is created and never again, so a
password changed while trying the demo survives a reload. The password is hashed once
and the hash shared: hashing it for each of a hundred accounts would take a minute."""

import random

from django.conf import settings
from django.contrib.auth.hashers import make_password

from units.enums import Gender, Role
from units.models import Membership, Person, Unit, User

from .organization import MINISTRY_CODE
from .people import SEED, full_name
from .sync import index, sync_row

EMAIL_DOMAIN = "demo.thidua.vn"
FLAGS = ("is_staff", "is_superuser", "is_emulation_officer", "is_council_member", "is_leadership")
ADMIN = "admin"
OFFICERS = ["tccb.canbo1", "tccb.canbo2"]
OFFICERS_UNIT = "vu-to-chuc-can-bo"
COUNCIL = "hoidong.uyvien"
LEADERSHIP = "lanhdao.botruong"
# Units with a second account that may fill the self-assessment: (unit code, role).
EXTRA_ACCOUNTS = [
    ("vu-phap-che", Role.DEPUTY),
    ("cuc-quan-ly-tai-nguyen-nuoc", Role.OFFICER),
    ("stnmt-long-an", Role.OFFICER),
]


def head_username(unit_code: str) -> str:
    return f"head.{unit_code}"


def extra_username(unit_code: str, role: str) -> str:
    return f"{role}.{unit_code}"


def load_accounts(
    units: dict[str, Unit], participants: list[Unit], people: dict[str, list[Person]]
) -> tuple[int, int]:
    """Create or update the demo users, their unit roles and the staff records they
    sign in as; returns how many users and memberships were created."""
    specs = _account_specs(units, participants, people)
    existing = index(User.objects.filter(username__in=[s[0] for s in specs]), lambda u: u.username)
    memberships = index(
        Membership.objects.filter(user__username__in=[s[0] for s in specs]),
        lambda m: (m.user_id, m.unit_id),
    )
    password = make_password(settings.DEMO_PASSWORD)
    users_created = memberships_created = 0
    for username, flags, name, person, unit, role in specs:
        found = existing.get(username)
        values = {
            "full_name": person.full_name if person else name,
            "email": f"{username}@{EMAIL_DOMAIN}",
            "is_active": True,
            **flags,
        }
        lookup = {"username": username, "password": password}
        user, created = sync_row(User, found, lookup if found is None else {}, values)
        users_created += created
        if unit is not None:
            _, created = sync_row(
                Membership,
                memberships.get((user.pk, unit.pk)),
                {"user": user, "unit": unit},
                {"role": role},
            )
            memberships_created += created
        if person is not None and person.user_id != user.pk:
            # One person per account: free the account from whoever held it before.
            Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
            person.user = user
            person.save(update_fields=["user"])
    return users_created, memberships_created


def _account_specs(units, participants, people) -> list[tuple]:
    """(username, flags, full name, person, unit, role) for every demo account."""
    no_flags = dict.fromkeys(FLAGS, False)
    rng = random.Random(f"{SEED}:accounts")
    specs = [
        (
            ADMIN,
            no_flags | {"is_staff": True, "is_superuser": True},
            "Quản trị hệ thống",
            None,
            None,
            None,
        ),
    ]
    for username, person in zip(OFFICERS, _staff(people[OFFICERS_UNIT])[1:3], strict=True):
        specs.append(
            (
                username,
                no_flags | {"is_emulation_officer": True},
                "",
                person,
                units[OFFICERS_UNIT],
                Role.OFFICER,
            )
        )
    specs.append(
        (
            COUNCIL,
            no_flags | {"is_council_member": True},
            full_name(rng, Gender.MALE),
            None,
            None,
            None,
        )
    )
    minister = people[units[MINISTRY_CODE].code][0]
    specs.append((LEADERSHIP, no_flags | {"is_leadership": True}, "", minister, None, None))
    for unit in participants:
        head = people[unit.code][0]
        specs.append((head_username(unit.code), no_flags, "", head, unit, Role.HEAD))
    for code, role in EXTRA_ACCOUNTS:
        staff = people[code]
        # The deputy signs in as the first deputy; an officer as the most senior staff
        # member (in a provincial department the chief of office runs emulation work).
        person = staff[1] if role == Role.DEPUTY else _staff(staff)[0]
        specs.append((extra_username(code, role), no_flags, "", person, units[code], role))
    return specs


def _staff(people: list[Person]) -> list[Person]:
    return [person for person in people if not person.is_leader]
