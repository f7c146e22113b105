"""Middleware of the whole site: the request log, the database-down page, security headers."""

import logging
import re
import time
import uuid

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.db import InterfaceError, OperationalError

from edge.logging import request_id
from edge.views import service_unavailable

request_logger = logging.getLogger("tribune.request")
database_logger = logging.getLogger("tribune.database")

# An id from the proxy in front is reused only when it is a short, plain token.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
PATH_LOG_LENGTH = 500


class RequestLogMiddleware:
    """Give each request an id and log one line for it: method, path, status, duration.

    The id is the incoming ``X-Request-ID`` when it is safe, else a new one;
    it is echoed in the response's ``X-Request-ID`` and tags every log record
    made meanwhile. The line has the path only: the query string, which may
    hold what a reader typed, is never logged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        current = incoming if SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = current
        token = request_id.set(current)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = (time.perf_counter() - started) * 1000
            response["X-Request-ID"] = current
            method = printable(request.method or "")
            path = printable(request.path[:PATH_LOG_LENGTH])
            request_logger.info(
                "%s %s %s %.1fms",
                method,
                path,
                response.status_code,
                duration_ms,
                extra={
                    "method": method,
                    "path": path,
                    "status_code": response.status_code,
                    "duration_ms": round(duration_ms, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)


def printable(text):
    """``text`` with control characters written as escapes, safe in a log line."""
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


class DatabaseUnavailableMiddleware:
    """Answer 503 with the site's "try again" page when the database cannot be reached.

    Only errors of the connection (``OperationalError``, ``InterfaceError``)
    are caught; any other database error is a bug and stays a 500. One warning
    line is logged per request, without a traceback. Django drops a broken
    connection at the end of the request, so the next request connects
    afresh and the site recovers as soon as the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        reason = str(exception).strip().splitlines()
        database_logger.warning(
            "Database unavailable, answered 503: %s %s",
            type(exception).__name__,
            reason[0] if reason else "",
        )
        response = service_unavailable(request)
        # The warning above is this response's error line; Django need not log another.
        response._has_been_logged = True
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with ``ADMIN_CONTENT_SECURITY_POLICY`` under ``ADMIN_URL``.

    The public site keeps ``CONTENT_SECURITY_POLICY``; the admin's policy also
    allows the inline styles the editor injects. A view's own ``@csp_replace``
    or ``@csp_update`` still applies on top of either.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(f"/{settings.ADMIN_URL}")
        ):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


class PermissionsPolicyMiddleware:
    """Send ``PERMISSIONS_POLICY`` as the ``Permissions-Policy`` header of every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response
