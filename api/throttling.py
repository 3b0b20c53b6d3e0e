"""Request rates per API token (or per signed-in user): one budget for every request, tighter ones per scope."""
from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

DEFAULT_SCOPE = "api"


class TokenRateThrottle(SimpleRateThrottle):
    """Count a client's requests under the view's `throttle_scope` (default "api"), keyed on its token.

    Every API token has its own budget (two CI jobs of one user do not starve each other); a session is
    counted per user, an anonymous request per address. Rates are read at call time from
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (environment: DEBTBOARD_API_RATE and friends); a scope without a
    rate is not throttled.
    """

    def allow_request(self, request, view) -> bool:
        self.scope = getattr(view, "throttle_scope", None) or DEFAULT_SCOPE
        self.rate = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(self.scope)
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_rate(self) -> str | None:
        return None  # set per request in allow_request (the scope is the view's)

    def get_cache_key(self, request, view) -> str:
        token_id = getattr(request.auth, "pk", None)
        if token_id is not None:
            ident = f"token-{token_id}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
