from django.urls import path

from units import views

app_name = "units"

urlpatterns = [
    path("", views.GroupListView.as_view(), name="list"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="detail"),
]
