from django.http import HttpResponsePermanentRedirect

from wordpress.models import LegacyURL

# The query forms of a WordPress address that the home page answered.
QUERY_FORMS = ("p", "page_id")


class LegacyURLMiddleware:
    """Send readers and crawlers from old WordPress addresses to the new ones (301).

    It acts on a 404 (an old permalink such as ``/2018/10/20/slug/``), as
    Django's redirects app does, and on ``/?p=123`` or ``/?page_id=2``, which
    would otherwise show the home page. Any other request costs no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path_info == "/":
            for name in QUERY_FORMS:
                value = request.GET.get(name, "")
                if value.isascii() and value.isdigit():
                    target = LegacyURL.objects.target_of(f"/?{name}={int(value)}")
                    if target:
                        return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            path = request.path_info
            alternative = path[:-1] if path.endswith("/") else f"{path}/"
            if target := LegacyURL.objects.target_of(path, alternative):
                return HttpResponsePermanentRedirect(target)
        return response
