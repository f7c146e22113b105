from django.urls import path, re_path

from articles import uploads, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    re_path(
        r"^articles/(?P<year>[0-9]{4})/$", views.YearArchiveView.as_view(), name="archive-year"
    ),
    re_path(
        r"^articles/(?P<year>[0-9]{4})/(?P<month>0[1-9]|1[0-2])/$",
        views.MonthArchiveView.as_view(),
        name="archive-month",
    ),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path(
        "articles/<slug:slug>/cite.bib",
        views.citation_file,
        {"file_format": "bib"},
        name="cite-bibtex",
    ),
    path(
        "articles/<slug:slug>/cite.ris",
        views.citation_file,
        {"file_format": "ris"},
        name="cite-ris",
    ),
    path("category/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    # Tag slugs may be Unicode (taggit keeps Persian and Arabic letters).
    re_path(r"^tag/(?P<slug>[-\w]+)/$", views.TagView.as_view(), name="tag"),
    path("experts/<slug:slug>/", views.ExpertView.as_view(), name="expert"),
    path("search/", views.search_results, name="search"),
    path("editor/images/", uploads.upload_image, name="upload-image"),
]
