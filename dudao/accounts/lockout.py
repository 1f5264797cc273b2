"""The login lockout's two hooks into django-axes: the client's address and the page."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str:
    """AXES_CLIENT_IP_CALLABLE: REMOTE_ADDR; behind the TLS proxy (DUDAO_HTTPS=1), the last
    X-Forwarded-For entry, the one our own proxy appended: any before it came from the
    client and prove nothing."""
    if settings.HTTPS:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return str(hops[-1])
    return str(request.META.get("REMOTE_ADDR", ""))


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page's lockout message, in Chinese (HTTP 429)."""
    return render(
        request,
        "web/lockout.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "hours": settings.AXES_COOLOFF_TIME},
        status=429,
    )


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """django-axes' check, first of AUTHENTICATION_BACKENDS: refuses a locked-out account or
    address before any password is checked. A login through the web always carries its
    request; one without (the test client's `login`, a shell) has no address to count and
    is left to the next backend instead of failing."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        super().authenticate(request, *args, **kwargs)
        return None
