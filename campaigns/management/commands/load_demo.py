from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.demo import demo_summary, load_demo
from campaigns.demo.accounts import ADMIN, COUNCIL, LEADERSHIP, OFFICERS, head_username
from campaigns.demo.organization import BLOCKS, CLUSTERS
from campaigns.enums import Subject


class Command(BaseCommand):
    help = _(
        "Load the demo ministry, its units, people, emulation blocks and clusters, its "
        "2024 emulation movement and the demo accounts. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Load the demo data even when DEBUG is off."),
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "The demo data is for development only: DEBUG is off. "
                    "Run with --force to load it anyway."
                )
            )
        created = load_demo(today=timezone.localdate())  # one transaction
        summary = demo_summary()
        write = self.stdout.write
        write(
            _("Created {created} rows ({details}).").format(
                created=sum(created.values()),
                details=", ".join(f"{name} {count}" for name, count in created.items()),
            )
        )
        write(
            _("Units: {units} ({departments} provincial departments).").format(
                units=summary.units, departments=summary.provincial_departments
            )
        )
        write(
            _("Emulation groups: {blocks} blocks, {clusters} clusters.").format(
                blocks=summary.blocks, clusters=summary.clusters
            )
        )
        write(_("People: {people}.").format(people=summary.people))
        write(
            _(
                "Criteria: {collective} collective, {individual} individual, {leader} leader."
            ).format(
                collective=summary.criteria[Subject.COLLECTIVE],
                individual=summary.criteria[Subject.INDIVIDUAL],
                leader=summary.criteria[Subject.LEADER],
            )
        )
        write(_("Accounts: {accounts}.").format(accounts=summary.accounts))
        write(
            _("Password of every demo account: {password}").format(password=settings.DEMO_PASSWORD)
        )
        usernames = [
            ADMIN,
            *OFFICERS,
            COUNCIL,
            LEADERSHIP,
            head_username(BLOCKS[0].head),
            head_username(CLUSTERS[7].head),
        ]
        write(
            _("Main usernames: {usernames}; every participating unit: head.<unit code>.").format(
                usernames=", ".join(usernames)
            )
        )
        write(self.style.SUCCESS(_("The demo data is loaded.")))
