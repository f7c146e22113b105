import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    """Liveness and database check for load balancers and container health checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request):
    """The 500 page in the site's design, rendered without touching the database.

    A lost database connection that escaped the views (say, in a middleware)
    still gets the 503 "try again" page.
    """
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return service_unavailable(request)
    template = loader.get_template("500.html")
    context = {"SITE_NAME": settings.SITE_NAME, "request_id": getattr(request, "request_id", "")}
    return HttpResponseServerError(template.render(context))


# Seconds a reader (or a crawler) is asked to wait before trying again.
RETRY_AFTER = 30


def service_unavailable(request):
    """The 503 page, for when the database cannot be reached: no query, never cached.

    A comment posted meanwhile is lost to the database, not to its author:
    the page gives them back their text to copy.
    """
    context = {"SITE_NAME": settings.SITE_NAME, "request_id": getattr(request, "request_id", "")}
    match = getattr(request, "resolver_match", None)
    if request.method == "POST" and match and match.view_name == "comments:post":
        context["comment_text"] = request.POST.get("body", "")
        context["back_url"] = reverse("articles:detail", kwargs={"slug": match.kwargs["slug"]})
    response = HttpResponse(loader.get_template("503.html").render(context), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response


def ceiling(request):
    """``/bench/ceiling`` with ``BENCHMARK_CEILING`` on: the cheapest page the server can serve.

    It goes through every middleware, so the benchmark compares each page with it.
    """
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def robots_txt(request):
    """Keeps crawlers out of the admin and the search results, and names the sitemap."""
    context = {
        "disallow": [reverse("admin:index"), reverse("articles:search")],
        "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
    }
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")
