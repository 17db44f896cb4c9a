"""Demo sign-ins: one per role of DESIGN.md, plus a head for every participating unit.

Every account gets settings.DEMO_PASSWORD when it is created and never again, so a
password changed while trying the demo survives a reload. The password is hashed once
and the hash shared: hashing it for each of a hundred accounts would take a minute."""

import random
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Account:
    username: str
    name: str = ""
    person: Person | None = None
    unit: Unit | None = None
    role: str = ""
    flags: dict = field(default_factory=dict)


def load_accounts(
    units: dict[str, Unit], participants: list[Unit], people: dict[str, list[Person]]
) -> tuple[int, int]:
    """Create or update the demo users, their unit roles and the staff records they
    sign in as; returns how many users and memberships were created."""
    accounts = _accounts(units, participants, people)
    usernames = [account.username for account in accounts]
    existing = index(User.objects.filter(username__in=usernames), lambda u: u.username)
    memberships = index(
        Membership.objects.filter(user__username__in=usernames), lambda m: (m.user_id, m.unit_id)
    )
    password = make_password(settings.DEMO_PASSWORD)
    users_created = memberships_created = 0
    for account in accounts:
        found = existing.get(account.username)
        values = {
            "full_name": account.person.full_name if account.person else account.name,
            "email": f"{account.username}@{EMAIL_DOMAIN}",
            "is_active": True,
            **dict.fromkeys(FLAGS, False),
            **account.flags,
        }
        lookup = {"username": account.username, "password": password} if found is None else {}
        user, created = sync_row(User, found, lookup, values)
        users_created += created
        if account.unit is not None:
            _, created = sync_row(
                Membership,
                memberships.get((user.pk, account.unit.pk)),
                {"user": user, "unit": account.unit},
                {"role": account.role},
            )
            memberships_created += created
        if account.person is not None and account.person.user_id != user.pk:
            _link(account.person, user)
    return users_created, memberships_created


def _link(person: Person, user: User) -> None:
    """One person per account: free the account from whoever held it before."""
    Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
    person.user = user
    person.save(update_fields=["user"])


def _accounts(units, participants, people) -> list[Account]:
    """Every demo account, in a fixed order."""
    council_name = full_name(random.Random(f"{SEED}:accounts"), Gender.MALE)
    officers = zip(OFFICERS, _staff(people[OFFICERS_UNIT]), strict=False)
    accounts = [
        Account(ADMIN, "Quản trị hệ thống", flags={"is_staff": True, "is_superuser": True}),
        *(
            Account(
                username,
                person=person,
                unit=units[OFFICERS_UNIT],
                role=Role.OFFICER,
                flags={"is_emulation_officer": True},
            )
            for username, person in officers
        ),
        Account(COUNCIL, council_name, flags={"is_council_member": True}),
        Account(LEADERSHIP, person=people[MINISTRY_CODE][0], flags={"is_leadership": True}),
    ]
    for unit in participants:
        head = people[unit.code][0]
        accounts.append(Account(head_username(unit.code), person=head, unit=unit, role=Role.HEAD))
    for code, role in EXTRA_ACCOUNTS:
        # The deputy signs in as the first deputy; an officer as the most senior staff
        # member (in a provincial department the chief of office runs emulation work).
        person = people[code][1] if role == Role.DEPUTY else _staff(people[code])[0]
        accounts.append(
            Account(extra_username(code, role), person=person, unit=units[code], role=role)
        )
    return accounts


def _staff(people: list[Person]) -> list[Person]:
    return [person for person in people if not person.is_leader]
