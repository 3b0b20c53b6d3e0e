"""`debtboard member REPO USER ROLE|--remove` gives and takes repository roles, with one-line errors."""
import pytest
from django.core.management import CommandError, call_command

from metrics.models import Repository, RepositoryMembership


@pytest.fixture
def shop(db):
    return Repository.objects.create(name="shop", path="/srv/git/shop")


def test_member_gives_changes_and_removes_a_role(shop, django_user_model, capsys):
    ada = django_user_model.objects.create_user(username="ada")
    call_command("member", "shop", "ada", "member")
    assert RepositoryMembership.objects.get(repository=shop, user=ada).role == "member"
    call_command("member", "shop", "ada", "maintainer")
    assert RepositoryMembership.objects.get(repository=shop, user=ada).role == "maintainer"
    call_command("member", "shop", "ada", "--remove")
    assert not RepositoryMembership.objects.exists()
    assert "ada is now maintainer of shop." in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    (["shop", "nobody", "viewer"], "No active user 'nobody'."),
    (["shop", "ada", "--remove"], "'ada' is not a member of shop."),
    (["shop", "ada"], "Give either a ROLE or --remove."),
    (["elsewhere", "ada", "viewer"], "No repository 'elsewhere'"),
])
def test_member_refuses_with_one_line(shop, django_user_model, args, message):
    django_user_model.objects.create_user(username="ada")
    with pytest.raises(CommandError, match=message):
        call_command("member", *args)
