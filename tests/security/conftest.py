from .world import world  # noqa: F401 — unit B's year, built once per module
