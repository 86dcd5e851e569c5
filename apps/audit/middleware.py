"""Request id and client address for audit events, logs and the sign-in lockout.

Behind a reverse proxy, ``REMOTE_ADDR`` is the proxy. With ``TRUSTED_PROXY_COUNT = N`` (the
number of proxies in front of the app that append to ``X-Forwarded-For``) and a request that
really comes from one of ``TRUSTED_PROXY_NETWORKS``, the client is the N-th address from the
right of that header — the one the outermost trusted proxy saw; anything further left was
written by the client and is not believed. Only then is the proxy's ``X-Request-ID`` taken
over (the proxy must set it, not pass on the client's); otherwise the app makes its own."""

import ipaddress
import re
import uuid

from django.conf import settings

from . import context

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _trusted_proxies(request) -> int:
    """How many proxy hops to believe for this request: none unless it comes from a proxy."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if not proxies:
        return 0
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return 0
    networks = getattr(settings, "TRUSTED_PROXY_NETWORKS", ())
    return proxies if any(peer in ipaddress.ip_network(n) for n in networks) else 0


def client_ip(request) -> str | None:
    """The client's address (also django-axes' ``AXES_CLIENT_IP_CALLABLE``)."""
    proxies = _trusted_proxies(request)
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            candidate = hops[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")


def request_id_of(request) -> str:
    incoming = request.headers.get("X-Request-ID", "") if _trusted_proxies(request) else ""
    return incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex


class RequestContextMiddleware:
    """Gives every request an id and binds it, with the client address, for audit events and
    logs. The id is echoed in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_of(request)
        token = context.bind(
            context.RequestContext(request_id=request.request_id, ip=client_ip(request))
        )
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request.request_id
        return response
