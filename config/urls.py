from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles import sitemaps
from articles.feeds import CategoryFeed, ExpertFeed, LatestArticlesAtomFeed, LatestArticlesFeed
from comments.feeds import LatestCommentsFeed
from config.views import healthz, robots_txt

handler500 = "config.views.server_error"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("comments/feed/", LatestCommentsFeed(), name="comments-feed"),
    path("feed/", LatestArticlesFeed(), name="feed-rss"),
    path("feed/atom/", LatestArticlesAtomFeed(), name="feed-atom"),
    path("category/<slug:slug>/feed/", CategoryFeed(), name="feed-category"),
    path("experts/<slug:slug>/feed/", ExpertFeed(), name="feed-expert"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap-section"),
    path("robots.txt", robots_txt, name="robots"),
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
