"""The repository settings page: edit the default revision and configuration, delete the repository (staff)."""
import pytest
from django.test import Client

from metrics.data import RepositoryConfig
from metrics.models import Repository, Scan
from metrics.services.repositories import repository_create
from metrics.services.webhooks import webhook_secret_rotate
from tests.frontend.factories import RepositoryFactory, ScanFactory, UserFactory, scanned_repository

pytestmark = pytest.mark.django_db

SETTINGS = "/repos/{}/settings/"
DELETE = "/repos/{}/settings/delete/"


def form_data(repository: Repository, **changes) -> dict:
    """What the settings form posts when nothing is touched, with `changes` applied."""
    data = {"default_revision": repository.default_revision, "effort_unit": repository.effort_unit}
    for name, value in RepositoryConfig().as_json().items():
        if isinstance(value, list):
            data[name] = "\n".join(value)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    data.update(changes)
    return data


def test_settings_page_shows_the_current_values(client_staff):
    repository = RepositoryFactory(name="shop", default_revision="main",
                                   config={"exclude": ["vendor/**", "build/**"], "window_days": 90})
    response = client_staff.get(SETTINGS.format("shop"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="default_revision" value="main"' in html
    assert ">\nvendor/**\nbuild/**</textarea>" in html
    assert '<option value="90" selected>90 days</option>' in html
    assert f'name="max_complexity" value="{RepositoryConfig().max_complexity}"' in html
    assert f'action="{DELETE.format(repository.name)}"' in html
    assert 'href="/repos/shop/settings/" aria-current="page">Settings</a>' in html


def test_saving_stores_only_what_differs_from_the_defaults(client_staff):
    repository = RepositoryFactory(name="shop", config={"half_life_days": 30.0})
    response = client_staff.post(SETTINGS.format("shop"), form_data(
        repository, exclude="vendor/**\n\n  docs/**  ", window_days="0", max_complexity="12", include_merges="on",
    ))
    assert response.status_code == 302 and response["Location"] == SETTINGS.format("shop")
    repository.refresh_from_db()
    assert repository.config == {
        "exclude": ["vendor/**", "docs/**"], "max_complexity": 12, "include_merges": True, "window_days": 0,
    }
    assert "Saved the settings of shop." in client_staff.get(response["Location"]).content.decode()


def test_the_effort_unit_is_edited_and_an_unknown_unit_refused(client_staff):
    repository = RepositoryFactory(name="shop")
    assert repository.effort_unit == "hours"
    response = client_staff.post(SETTINGS.format("shop"), form_data(repository, effort_unit="points"))
    assert response.status_code == 302
    repository.refresh_from_db()
    assert repository.effort_unit == "points"
    assert '<option value="points" selected>story points</option>' in client_staff.get(
        SETTINGS.format("shop")).content.decode()
    refused = client_staff.post(SETTINGS.format("shop"), form_data(repository, effort_unit="days"))
    assert refused.status_code == 400
    repository.refresh_from_db()
    assert repository.effort_unit == "points"


def test_the_saved_window_becomes_the_pages_default_window(client_staff):
    scanned = scanned_repository()
    client_staff.post(SETTINGS.format("shop"), form_data(scanned.repository, window_days="90"))
    html = client_staff.get("/repos/shop/").content.decode()
    assert 'href="?window=90" aria-current="true"' in html


def test_an_invalid_configuration_re_renders_the_form_with_the_services_message(client_staff):
    repository = RepositoryFactory(name="shop", config={"window_days": 90})
    data = form_data(repository, max_complexity="-1", exclude="tests/**")
    response = client_staff.post(SETTINGS.format("shop"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "max_complexity must be a finite, non-negative number." in html
    assert ">\ntests/**</textarea>" in html  # what was typed stays
    repository.refresh_from_db()
    assert repository.config == {"window_days": 90}


def test_a_value_that_is_not_a_number_is_refused_by_the_form(client_staff):
    repository = RepositoryFactory(name="shop")
    response = client_staff.post(SETTINGS.format("shop"), form_data(repository, half_life_days="soon"))
    assert response.status_code == 400
    assert "Enter a number." in response.content.decode()


def test_default_revision_is_checked_against_the_repository(client_staff, git_repo):
    git_repo.commit("first", files={"a.py": "x = 1\n"})
    git_repo.git("tag", "v1")
    repository = repository_create(source=str(git_repo.path), name="tool")
    response = client_staff.post(SETTINGS.format("tool"), form_data(repository, default_revision="no-such-branch"))
    assert response.status_code == 400
    assert "names no commit in tool" in response.content.decode()
    repository.refresh_from_db()
    assert repository.default_revision == "HEAD"
    response = client_staff.post(SETTINGS.format("tool"), form_data(repository, default_revision="v1"))
    assert response.status_code == 302
    repository.refresh_from_db()
    assert repository.default_revision == "v1"


def test_user_text_is_escaped(client_staff):
    RepositoryFactory(name="shop", config={"exclude": ["<script>alert(1)</script>"]})
    html = client_staff.get(SETTINGS.format("shop")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_invalid_stored_configuration_is_shown_with_the_defaults(client_staff):
    RepositoryFactory(name="shop", config={"no_such_key": 1})
    html = client_staff.get(SETTINGS.format("shop")).content.decode()
    assert "The stored configuration is invalid (Unknown configuration keys: no_such_key.)" in html


def test_delete_needs_the_name_typed_then_removes_the_repository_and_redirects(client_staff):
    scanned_repository()
    response = client_staff.post(DELETE.format("shop"), {"confirm": "shp"})
    assert response.status_code == 400
    assert "Type shop to delete it." in response.content.decode()
    assert Repository.objects.filter(name="shop").exists()
    response = client_staff.post(DELETE.format("shop"), {"confirm": "shop"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert not Repository.objects.filter(name="shop").exists()
    assert Scan.objects.count() == 0
    assert "Deleted repository shop." in client_staff.get("/").content.decode()


def test_delete_is_refused_while_a_scan_runs(client_staff):
    repository = RepositoryFactory(name="shop")
    ScanFactory(repository=repository, status=Scan.Status.RUNNING)
    response = client_staff.post(DELETE.format("shop"), {"confirm": "shop"})
    assert response.status_code == 409
    assert "delete the repository when it has finished" in response.content.decode()
    assert Repository.objects.filter(name="shop").exists()


def test_delete_answers_post_only(client_staff):
    RepositoryFactory(name="shop")
    assert client_staff.get(DELETE.format("shop")).status_code == 405


def test_delete_checks_the_csrf_token(staff):
    RepositoryFactory(name="shop")
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(DELETE.format("shop"), {"confirm": "shop"}).status_code == 403
    assert Repository.objects.filter(name="shop").exists()


def test_settings_are_for_staff_only(client_user):
    repository = RepositoryFactory(name="shop", config={"window_days": 90})
    assert client_user.get(SETTINGS.format("shop")).status_code == 403
    assert client_user.post(SETTINGS.format("shop"), form_data(repository, window_days="0")).status_code == 403
    assert client_user.post(DELETE.format("shop"), {"confirm": "shop"}).status_code == 403
    repository.refresh_from_db()
    assert repository.config == {"window_days": 90}
    assert "/settings/" not in client_user.get("/repos/shop/").content.decode()
    anonymous = Client().get(SETTINGS.format("shop"))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_home_needs_the_same_queries_for_many_repositories(client_user, django_assert_max_num_queries):
    for name in ("shop", "store", "till"):
        scanned_repository(name=name)
    UserFactory(username="someone")
    with django_assert_max_num_queries(8):
        response = client_user.get("/")
    html = response.content.decode()
    for name in ("shop", "store", "till"):
        assert f'href="/repos/{name}/files/src/shop/billing.py"' in html
    assert html.count('<svg class="sparkline"') == 3


RESCANS = "/repos/{}/settings/rescans/"
ROTATE = "/repos/{}/settings/webhook-secret/"


def test_the_rescans_section_shows_the_schedule_and_both_webhook_urls(client_staff, settings):
    settings.TIME_ZONE = "UTC"
    RepositoryFactory(name="shop")
    html = client_staff.get(SETTINGS.format("shop")).content.decode()
    assert 'id="rescans"' in html and "Now: <strong>off</strong>" in html
    assert "<code>http://testserver/hooks/github/shop</code>" in html
    assert "<code>http://testserver/hooks/gitlab/shop</code>" in html
    assert "none yet: every delivery is refused" in html and "Create a secret" in html
    assert "the server's time zone, UTC" in html


def test_a_schedule_is_saved_from_the_form_and_irrelevant_fields_are_dropped(client_staff):
    RepositoryFactory(name="shop")
    response = client_staff.post(RESCANS.format("shop"), {"rescan-kind": "weekly", "rescan-time": "06:15",
                                                          "rescan-weekday": "2"})
    assert response.status_code == 302 and response["Location"] == SETTINGS.format("shop") + "#rescans"
    page = client_staff.get(response["Location"]).content.decode()
    assert "Rescans of shop: weekly on Wednesday at 06:15." in page
    assert '<option value="weekly" selected>' in page and 'value="06:15"' in page
    client_staff.post(RESCANS.format("shop"), {"rescan-kind": "hourly", "rescan-time": "06:15", "rescan-weekday": "2"})
    repository = Repository.objects.get(name="shop")
    assert (repository.rescan_kind, repository.rescan_at, repository.rescan_weekday) == ("hourly", None, None)


@pytest.mark.parametrize(("data", "message"), [
    ({"rescan-kind": "nightly", "rescan-time": ""}, "A nightly schedule needs a time of day (HH:MM)."),
    ({"rescan-kind": "weekly", "rescan-time": "06:00"}, "A weekly schedule needs a weekday."),
    ({"rescan-kind": "nightly", "rescan-time": "25:00"}, "At (HH:MM): Enter a valid time."),
    ({"rescan-kind": "daily"}, "Rescan: Select a valid choice."),
])
def test_an_invalid_schedule_is_refused_with_a_message(client_staff, data, message):
    RepositoryFactory(name="shop")
    response = client_staff.post(RESCANS.format("shop"), data, follow=True)
    assert message in response.content.decode()
    assert Repository.objects.get(name="shop").rescan_kind == "off"


def test_rotating_the_secret_shows_it_once(client_staff):
    RepositoryFactory(name="shop")
    response = client_staff.post(ROTATE.format("shop"))
    secret = Repository.objects.get(name="shop").webhook_secret
    html = response.content.decode()
    assert response.status_code == 200 and f'<code id="webhook-secret">{secret}</code>' in html
    assert "no-store" in response["Cache-Control"]
    settings_page = client_staff.get(SETTINGS.format("shop")).content.decode()
    assert secret not in settings_page and "Rotate the secret" in settings_page
    assert client_staff.get(ROTATE.format("shop")).status_code == 405


def test_the_admin_never_shows_the_webhook_secret(client_staff, staff):
    repository = RepositoryFactory(name="shop")
    secret = webhook_secret_rotate(repository=repository)
    staff.is_superuser = True
    staff.save()
    page = client_staff.get(f"/admin/metrics/repository/{repository.pk}/change/")
    assert page.status_code == 200 and secret not in page.content.decode()


def test_the_debt_discovery_thresholds_are_edited_with_their_range_checked_inline(client_staff):
    repository = RepositoryFactory(name="shop")
    refused = client_staff.post(SETTINGS.format("shop"), form_data(repository, proposal_hotspot_min_score="150"))
    assert refused.status_code == 400
    assert "proposal_hotspot_min_score must be from 0 to 100." in refused.content.decode()
    repository.refresh_from_db()
    assert repository.config == {}
    client_staff.post(SETTINGS.format("shop"), form_data(repository, proposal_hotspot_top="3",
                                                         proposal_island_top="0"))
    repository.refresh_from_db()
    assert repository.config == {"proposal_hotspot_top": 3, "proposal_island_top": 0}
    page = client_staff.get(SETTINGS.format("shop")).content.decode()
    assert "Debt discovery proposes at most this many hotspots per scan" in page
