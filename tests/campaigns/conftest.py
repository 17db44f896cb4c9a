from .sheet import sheet, submission_a, submission_b  # noqa: F401 — fixtures for this folder
