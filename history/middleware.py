"""Records who made the request, through which channel and why, on every change it makes."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from history.context import audit_context
from history.headers import REASON_HEADER, REQUEST_ID_HEADER

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def channel_of(request: HttpRequest) -> str:
    if request.path.startswith("/admin/"):
        return "admin"
    if request.path.startswith("/api/"):
        return "api"
    return "web"


class AuditContextMiddleware:
    """Opens an audit context for every write request.

    The request id comes from the X-Request-ID header when a proxy sets one (so the trail
    can be matched with access logs) and is echoed back on the response. API users are
    authenticated later, by DRF; the API's views add them to the context themselves.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in WRITE_METHODS:
            return self.get_response(request)
        request_id = request.headers.get(REQUEST_ID_HEADER, "")[:100] or None
        with audit_context(
            channel=channel_of(request),
            user=getattr(request, "user", None),
            request_id=request_id,
            reason=request.headers.get(REASON_HEADER, ""),
            path=request.path,
        ) as context:
            response = self.get_response(request)
        response[REQUEST_ID_HEADER] = context.metadata["request_id"]
        return response
