"""The demo ministry: data and loaders for `manage.py load_demo`.

Everything specific to the demo (the Ministry of Natural Resources and Environment and
its 2024 movement) lives in this package; nothing else in the code may assume it."""

from .loader import DemoSummary, demo_summary, load_demo

__all__ = ["DemoSummary", "demo_summary", "load_demo"]
