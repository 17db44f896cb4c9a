"""The project's URLs with the reports mounted, for the report page tests (until
emulation/urls.py includes them, this adds them; afterwards it changes nothing)."""

from django.urls import include, path

from emulation.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(p, "namespace", None) == "reports" for p in urlpatterns):
    urlpatterns.append(path("reports/", include("reports.urls")))
