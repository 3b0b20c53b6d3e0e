"""HTML routes of the API's own concern under /account/: the user's API tokens."""
from django.urls import path

from api.views.account import token_list, token_revoke

urlpatterns = [
    path("tokens/", token_list, name="account-tokens"),
    path("tokens/<int:token_id>/revoke/", token_revoke, name="account-token-revoke"),
]
