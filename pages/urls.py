from django.urls import path

from . import views

app_name = "pages"

# Under /pages/ and /staff/: nothing the stories' addresses (/<yyyy>/…, /sections/…) can take.
urlpatterns = [
    path("pages/<slug:slug>/", views.PageDetailView.as_view(), name="detail"),
    path("staff/", views.StaffView.as_view(), name="staff"),
]
