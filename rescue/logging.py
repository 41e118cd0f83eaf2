"""A logging filter that keeps identifying data out of log lines.

Messages can carry user input in two ways: a URL's query string (filters,
searches) and an exception's message (a database error quoting the row, a
ValueError quoting what was typed). The filter drops both and keeps what an
operator needs to find the fault: logger, path, exception type and traceback.
"""

import logging
import re

_QUERY_STRING = re.compile(r"\?[^\s\"']*")


class WithheldError(Exception):
    """Stands in for a logged exception whose message was withheld."""


def redact_query_strings(text: str) -> str:
    return _QUERY_STRING.sub("?[redacted]", text)


class RedactIdentifyingData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact_query_strings(record.getMessage())
        record.args = ()
        if record.exc_info and record.exc_info[1] is not None:
            exc_type, _exc, tb = record.exc_info
            stand_in = WithheldError(
                f"{exc_type.__module__}.{exc_type.__qualname__} (message withheld)"
            )
            stand_in.__traceback__ = tb
            record.exc_info = (WithheldError, stand_in, tb)
            record.exc_text = None
        # Django attaches the request; a handler that formats it could print POST data.
        if hasattr(record, "request"):
            record.request = None
        return True


class RedactedAdminEmailHandler(logging.Handler):
    """Error e-mails to ADMINS with the redacted log line and traceback, and nothing more.

    Django's AdminEmailHandler adds the request and every frame's local variables,
    which can hold what a user typed or what a row holds; this sends only what the
    redaction filter left: logger, message, exception type and the traceback's lines.
    """

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        from django.core.mail import mail_admins

        try:
            subject = redact_query_strings(record.getMessage()).splitlines()[0][:200]
            mail_admins(f"{record.levelname}: {subject}", self.format(record), fail_silently=True)
        except Exception:  # a failing e-mail must never take the request down
            self.handleError(record)
