"""DRF authentication by `Authorization: Bearer <token>` against hashed API tokens."""
from rest_framework import authentication, exceptions

from api.tokens import api_token_authenticate


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Malformed Authorization header: use 'Bearer <token>'.")
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token contains characters no token has.") from None
        token = api_token_authenticate(secret=secret)
        if token is None:
            raise exceptions.AuthenticationFailed("Unknown, expired or revoked API token.")
        return (token.user, token)

    def authenticate_header(self, request) -> str:
        return self.keyword
