from .sheet import sheet, submission_a, submission_b  # noqa: F401 — fixtures for this folder
from .year_data import en_client, people_a, people_b, unit_year  # noqa: F401 — a unit's year
