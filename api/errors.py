"""Error kinds of the API's own concerns (tokens and their scopes), with stable codes."""
from debtboard.errors import Forbidden, InvalidInput, NotFound


class ApiTokenInvalid(InvalidInput):
    default_code = "api_token.invalid"


class ApiTokenNotFound(NotFound):
    default_code = "api_token.not_found"


class TokenRepositoriesLimited(Forbidden):
    """A token narrowed to some repositories was used on the planning API, whose teams and events span them."""

    default_code = "token.repositories_limited"


class TokenScopeMissing(Forbidden):
    """The token's user may do it, but the token was not given the scope for it."""

    default_code = "token.scope_missing"
