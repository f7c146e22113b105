from django.urls import path, re_path

from articles import uploads, views
from pagecache import cache_public

app_name = "articles"

urlpatterns = [
    path("", cache_public(views.HomeView.as_view()), name="home"),
    re_path(
        r"^articles/(?P<year>[0-9]{4})/$",
        cache_public(views.YearArchiveView.as_view()),
        name="archive-year",
    ),
    re_path(
        r"^articles/(?P<year>[0-9]{4})/(?P<month>0[1-9]|1[0-2])/$",
        cache_public(views.MonthArchiveView.as_view()),
        name="archive-month",
    ),
    path(
        "articles/<slug:slug>/",
        cache_public(views.ArticleDetailView.as_view(), query=("replytocom",)),
        name="detail",
    ),
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
    path("category/<slug:slug>/", cache_public(views.CategoryView.as_view()), name="category"),
    # Tag slugs may be Unicode (taggit keeps Persian and Arabic letters).
    re_path(r"^tag/(?P<slug>[-\w]+)/$", cache_public(views.TagView.as_view()), name="tag"),
    path("experts/<slug:slug>/", cache_public(views.ExpertView.as_view()), name="expert"),
    path("search/", cache_public(views.search_results, query=("q", "page")), name="search"),
    path("editor/images/", uploads.upload_image, name="upload-image"),
]
