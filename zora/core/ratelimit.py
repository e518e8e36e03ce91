"""Simple fixed-window rate limits in the shared cache (Redis when REDIS_URL is set)."""

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(key: str, limit: int, window: int) -> bool:
    """Counts one more event for `key`; False when the limit for the window is exceeded."""
    cache_key = f"zora-rl:{key}"
    if cache.add(cache_key, 1, timeout=window):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        return True
    return count <= limit


def allow(
    request: HttpRequest, action: str, *, per_user: int, per_ip: int, window: int = 3600
) -> bool:
    """Both the user's and the IP's budget for `action` must allow it."""
    user = getattr(request, "user", None)
    ok = hit(f"{action}:ip:{client_ip(request)}", per_ip, window)
    if user is not None and user.is_authenticated:
        ok = hit(f"{action}:user:{user.pk}", per_user, window) and ok
    return ok
