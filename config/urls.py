from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from comments.feeds import LatestCommentsFeed
from config.views import healthz

handler500 = "config.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("comments/feed/", LatestCommentsFeed(), name="comments-feed"),
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
