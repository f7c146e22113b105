"""Middleware of the whole site: the request log, the database-down page, security headers."""

import logging
import re
import time
import uuid

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.utils.functional import SimpleLazyObject, empty
from django.utils.module_loading import import_string

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
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        current = incoming if SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = current
        token = request_id.set(current)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = (time.perf_counter() - started) * 1000
            response["X-Request-ID"] = current
            if request_logger.isEnabledFor(logging.INFO):
                # Made directly: logger.info() would also look up the calling line.
                line = request_logger.makeRecord(
                    request_logger.name,
                    logging.INFO,
                    __file__,
                    0,
                    "%s %s %s %.1fms",
                    (
                        printable(request.method or ""),
                        printable(request.path[:PATH_LOG_LENGTH]),
                        response.status_code,
                        duration_ms,
                    ),
                    None,
                )
                request_logger.handle(line)
            return response
        finally:
            request_id.reset(token)


def printable(text):
    """``text`` with control characters written as escapes, safe in a log line."""
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


class LazyMessageMiddleware(MessageMiddleware):
    """Django's messages, their storage made when a request first uses it (few do).

    A request that never reads or adds a message reads no cookie or session for
    them and writes nothing back.
    """

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)


class AdminOnlyMiddleware:
    """Runs the middleware named by ``inner`` for requests under ``ADMIN_URL`` alone.

    For what only the admin needs, so that the public site's requests skip it.
    """

    inner = ""  # the dotted path of the middleware

    def __init__(self, get_response):
        self.get_response = get_response
        self.wrapped = import_string(self.inner)(get_response)
        self.prefix = f"/{settings.ADMIN_URL}"

    def __call__(self, request):
        if request.path_info.startswith(self.prefix):
            return self.wrapped(request)
        return self.get_response(request)


class AdminHistoryMiddleware(AdminOnlyMiddleware):
    """django-simple-history's: revisions made in the admin record who made them."""

    inner = "simple_history.middleware.HistoryRequestMiddleware"


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


class SecurityHeadersMiddleware(CSPMiddleware):
    """The headers Django's SecurityMiddleware does not send: ``Content-Security-Policy``
    (django-csp's middleware) and ``Permissions-Policy`` (``PERMISSIONS_POLICY``).

    The public site keeps ``CONTENT_SECURITY_POLICY``; under ``ADMIN_URL`` the
    admin's policy (``ADMIN_CONTENT_SECURITY_POLICY``) also allows the inline styles
    the editor injects. A view's own ``@csp_replace`` or ``@csp_update`` still
    applies on top of either.

    The site uses no nonces, so a response without a policy of its own gets one of
    the two headers, built once (django-csp builds it anew for every response).
    """

    def process_response(self, request, response):
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        if _has_own_policy(request, response):
            return super().process_response(request, response)
        if HEADER not in response and not getattr(response, "_csp_exempt", False):
            response[HEADER] = _built_policy(self._is_admin(request))
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and self._is_admin(request):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts

    @staticmethod
    def _is_admin(request):
        return request.path_info.startswith(f"/{settings.ADMIN_URL}")


POLICY_OVERRIDES = ("_csp_config", "_csp_update", "_csp_replace")
_policies = {}  # is the admin's → the header


def _has_own_policy(request, response):
    """Whether django-csp must build this response's header itself."""
    return (
        settings.DEBUG
        or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        or (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("EXCLUDE_URL_PREFIXES")
        or getattr(request, "_csp_nonce", None) is not None
        or any(getattr(response, name, None) is not None for name in POLICY_OVERRIDES)
    )


def _built_policy(admin):
    if admin not in _policies:
        config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"] if admin else None
        _policies[admin] = build_policy(config=config)
    return _policies[admin]


@receiver(setting_changed)
def _forget_policies(setting, **kwargs):
    if "CONTENT_SECURITY_POLICY" in setting or setting == "ADMIN_URL":
        _policies.clear()
