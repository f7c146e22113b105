"""The console log: one line per record, each tagged with the id of its request.

``RequestLogMiddleware`` (edge/middleware.py) sets ``request_id`` for the
time of a request; ``RequestIdFilter`` copies it onto every record logged
meanwhile, so an error line and the request's own line share the same id.
"""

import logging
from contextvars import ContextVar

request_id = ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Give every record a ``request_id``: the current request's, or ``-`` outside one."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


class OneLineFormatter(logging.Formatter):
    """Keep a record on one line, traceback included: line breaks are written ``\\n``.

    One event is then one line for whatever collects the output, and text
    from a request (a path, a message) cannot forge a log line of its own.
    """

    def format(self, record):
        return super().format(record).replace("\r", "\\r").replace("\n", "\\n")
