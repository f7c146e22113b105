from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render

from pages.models import Page


class PageFallbackMiddleware:
    """Answer a 404 with the static page at that address, if there is one.

    Only a 404 to a GET or HEAD costs a query; every other response passes
    through untouched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        path = request.path_info
        page = Page.objects.filter(url=path).first()
        if page is None:
            if (
                settings.APPEND_SLASH
                and not path.endswith("/")
                and Page.objects.filter(url=f"{path}/").exists()
            ):
                return HttpResponsePermanentRedirect(f"{request.path}/")
            return response
        return render(request, "pages/page.html", {"page": page})
