from django.urls import path

from units import views

app_name = "units"

urlpatterns = [
    path("", views.GroupListView.as_view(), name="list"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="detail"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("imports/<int:pk>/status/", views.import_job_status, name="import_job_status"),
    path("locked-accounts/", views.LockedAccountsView.as_view(), name="locked_accounts"),
    path("locked-accounts/unlock/", views.UnlockView.as_view(), name="unlock_account"),
]
