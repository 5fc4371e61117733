from django.urls import path

from . import previews, views

# The yyyy, dd and tag converters are registered in ArticlesConfig.ready().

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("sections/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("tags/<tag:slug>/", views.TagView.as_view(), name="tag"),
    path("preview/<str:token>/", previews.shared_preview, name="preview"),
    path("<yyyy:year>/", views.ArchiveView.as_view(), name="archive_year"),
    path("<yyyy:year>/<dd:month>/", views.ArchiveView.as_view(), name="archive_month"),
    path("<yyyy:year>/<dd:month>/<dd:day>/", views.ArchiveView.as_view(), name="archive_day"),
    path(
        "<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
]
