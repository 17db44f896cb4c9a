from tests.campaigns.sheet import sheet  # noqa: F401 — the self-assessment of units A and B

from .world import world  # noqa: F401 — unit B's year, built once per module
