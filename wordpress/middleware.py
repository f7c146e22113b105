from django.http import HttpResponsePermanentRedirect
from django.utils.encoding import escape_uri_path

from wordpress import archives, query_forms
from wordpress.models import LegacyURL


class LegacyURLMiddleware:
    """Send readers and crawlers from old WordPress addresses to the new ones (301).

    It acts on a 404 (an old permalink such as ``/2018/10/20/slug/``, an old
    archive such as ``/author/jane/feed/``), as Django's redirects app does, and
    on the home page's WordPress query strings (``/?p=123``, ``/?s=words``,
    ``/?cat=3&feed=rss2``: see ``query_forms``), which would otherwise show the
    home page. Any other request costs no query, and a 404 at most one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and request.path_info == "/"
            and request.GET
            and (target := query_forms.target(request.GET))
        ):
            return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.method in ("GET", "HEAD")
            and (target := self.target(request))
        ):
            return HttpResponsePermanentRedirect(target)
        return response

    def target(self, request):
        """The new address of the old one ``request`` asked for, or None.

        Date archives follow a pattern; other addresses were recorded by the
        import, an archive's feed and pages through the archive's own address.
        Failing those, the feed or a page of a listing whose address did not
        change (``/category/news/page/2/``) leads to that listing's.
        """
        path = request.path_info
        form = archives.form_of(path)
        if target := archives.date_archive(form):
            return target
        alternative = path[:-1] if path.endswith("/") else f"{path}/"
        archive = None if form.plain else form
        if target := LegacyURL.objects.target_of(path, alternative, form=archive):
            return target
        if archive is None:
            return None
        target = archives.same_listing(archive, getattr(request, "urlconf", None))
        # The feed of a listing that is not there (``/category/unknown/feed/``) stays a 404.
        return target if target != escape_uri_path(request.path) else None
