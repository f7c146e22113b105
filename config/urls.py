from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles import sitemaps
from articles.feeds import CategoryFeed, ExpertFeed, LatestArticlesAtomFeed, LatestArticlesFeed
from comments.feeds import LatestCommentsFeed
from edge.views import ceiling, healthz, robots_txt
from pagecache import cache_public

handler500 = "edge.views.server_error"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("comments/feed/", cache_public(LatestCommentsFeed()), name="comments-feed"),
    path("feed/", cache_public(LatestArticlesFeed()), name="feed-rss"),
    path("feed/atom/", cache_public(LatestArticlesAtomFeed()), name="feed-atom"),
    path("category/<slug:slug>/feed/", cache_public(CategoryFeed()), name="feed-category"),
    path("experts/<slug:slug>/feed/", cache_public(ExpertFeed()), name="feed-expert"),
    path("sitemap.xml", cache_public(sitemaps.index), name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        cache_public(sitemaps.section, query=("p",)),
        name="sitemap-section",
    ),
    path("robots.txt", robots_txt, name="robots"),
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.BENCHMARK_CEILING:
    # First, as in a project of one view: the ceiling measures the server and the middleware.
    urlpatterns.insert(0, path("bench/ceiling", ceiling, name="bench-ceiling"))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
