from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("movement/<int:campaign_pk>/", views.campaign_reports, name="campaign"),
    path("movement/<int:campaign_pk>/request/", views.request_build, name="request"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/narrative/", views.narrative, name="narrative"),
    path("<int:pk>/finalise/", views.finalise, name="finalise"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/download.pdf", views.download, {"fmt": "pdf"}, name="download_pdf"),
    path("<int:pk>/download.xlsx", views.download, {"fmt": "xlsx"}, name="download_xlsx"),
    path(
        "periods/<int:period_pk>/blocks/<int:group_pk>/scoring.pdf",
        views.block_scoring,
        {"fmt": "pdf"},
        name="block_scoring_pdf",
    ),
    path(
        "periods/<int:period_pk>/blocks/<int:group_pk>/scoring.xlsx",
        views.block_scoring,
        {"fmt": "xlsx"},
        name="block_scoring_xlsx",
    ),
    path(
        "periods/<int:period_pk>/blocks/<int:group_pk>/minutes.pdf",
        views.block_minutes,
        {"fmt": "pdf"},
        name="block_minutes_pdf",
    ),
    path(
        "periods/<int:period_pk>/blocks/<int:group_pk>/minutes.xlsx",
        views.block_minutes,
        {"fmt": "xlsx"},
        name="block_minutes_xlsx",
    ),
]
