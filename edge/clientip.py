"""The reader's IP address, the same for the comment rate limit, stored comments and axes.

Behind ``PROXY_COUNT`` trusted reverse proxies, each appending the address it
was reached from to ``X-Forwarded-For``, the reader is the ``PROXY_COUNT``-th
address from the right of that header: whatever a reader sends in it stays on
the left and is never believed. With ``PROXY_COUNT = 0`` the header is ignored
and the connection's address (``REMOTE_ADDR``) is the reader's.
"""

from django.conf import settings
from ipware import get_client_ip


def client_ip(request):
    """The reader's IP address as a string; ``""`` when there is none.

    A request that did not come through the proxies (no header, or fewer
    addresses in it than proxies, such as a health check from inside the
    container) falls back to ``REMOTE_ADDR``.
    """
    if proxy_count := settings.PROXY_COUNT:
        # ipware counts the proxies named in the header: the last proxy is
        # REMOTE_ADDR, not in the header. Not strict, so that a forged prefix
        # of any length or form cannot unseat the trusted end of the header.
        address, _routable = get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=proxy_count - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if address:
            return address
    return request.META.get("REMOTE_ADDR", "")
