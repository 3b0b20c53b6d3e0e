"""HTML routes."""
from django.urls import path, register_converter

from frontend.converters import RepositoryPathConverter
from frontend.views import (
    automation, board, boy_scout, check_policy, checks, coupling, debt, files, folders, functions, hotspots, members,
    proposals, refactorathons, repositories, repository_add, scans, source, sprints, transfer,
)
from frontend.views import errors

app_name = "frontend"
register_converter(RepositoryPathConverter, "repopath")

urlpatterns = [
    path("", repositories.home, name="home"),
    path("repositories/new/", repository_add.repository_add, name="repo-add"),
    # A repository's code: dashboard, hotspot map, rankings, files, scans.
    path("repos/<slug:name>/", repositories.dashboard, name="dashboard"),
    path("repos/<slug:name>/hotspot-map.json", repositories.hotspot_map_data, name="hotspot-map"),
    path("repos/<slug:name>/scan/", scans.scan_now, name="scan-now"),
    path("repos/<slug:name>/scan/status/", scans.scan_status, name="scan-status"),
    path("repos/<slug:name>/scans/<int:scan_id>/cancel/", scans.scan_cancel_view, name="scan-cancel"),
    path("repos/<slug:name>/hotspots/", hotspots.ranking, {"kind": "files"}, name="hotspots"),
    path("repos/<slug:name>/hotspots.csv", hotspots.ranking_csv, {"kind": "files"}, name="hotspots-csv"),
    path("repos/<slug:name>/functions/", hotspots.ranking, {"kind": "functions"}, name="functions"),
    path("repos/<slug:name>/functions.csv", hotspots.ranking_csv, {"kind": "functions"}, name="functions-csv"),
    path("repos/<slug:name>/files/<repopath:path>", files.file_detail, name="file"),
    path("repos/<slug:name>/source/<repopath:path>", source.file_source, name="file-source"),
    path("repos/<slug:name>/folders/", folders.folder_detail, name="folder-root"),
    path("repos/<slug:name>/folders/<repopath:path>", folders.folder_detail, name="folder"),
    path("repos/<slug:name>/functions/<repopath:spec>", functions.function_detail, name="function"),
    path("repos/<slug:name>/coupling.json", coupling.coupling_data, name="coupling"),
    path("repos/<slug:name>/checks/", checks.check_list, name="checks"),
    path("repos/<slug:name>/boy-scout/", boy_scout.repository_record, name="boy-scout"),
    path("teams/<slug:slug>/boy-scout/", boy_scout.team_record, name="team-boy-scout"),
    path("repos/<slug:name>/settings/", repositories.settings_edit, name="repo-settings"),
    path("repos/<slug:name>/settings/delete/", repositories.settings_delete, name="repo-delete"),
    path("repos/<slug:name>/settings/check-policy/", check_policy.check_policy_edit, name="repo-check-policy"),
    path("repos/<slug:name>/settings/rescans/", automation.rescan_schedule_edit, name="repo-rescan-schedule"),
    path("repos/<slug:name>/settings/webhook-secret/", automation.webhook_secret_rotate_view,
         name="repo-webhook-secret"),
    path("repos/<slug:name>/settings/members/", members.member_set, name="repo-member-set"),
    path("repos/<slug:name>/settings/members/<str:username>/remove/", members.member_remove,
         name="repo-member-remove"),
    # A repository's debt: register, board, proposals, import and export.
    path("repos/<slug:name>/debt/", debt.register, name="repo-debt"),
    path("repos/<slug:name>/debt/import/", transfer.debt_import, name="debt-import"),
    path("repos/<slug:name>/debt/export.<str:format>", transfer.debt_export, name="debt-export"),
    path("repos/<slug:name>/board/", board.board, name="board"),
    path("repos/<slug:name>/board/<int:item_id>/move/", board.board_move, name="board-move"),
    path("repos/<slug:name>/proposals/", proposals.inbox, name="proposals"),
    path("repos/<slug:name>/proposals/bulk/", proposals.bulk, name="proposals-bulk"),
    path("repos/<slug:name>/proposals/<int:item_id>/<slug:decision>/", proposals.decide, name="proposal-decide"),
    # Debt items across repositories.
    path("debt/", debt.register, name="debt"),
    path("debt/new/", debt.item_create, name="debt-new"),
    path("debt/<int:item_id>/", debt.item_detail, name="debt-item"),
    path("debt/<int:item_id>/edit/", debt.item_edit, name="debt-edit"),
    path("debt/<int:item_id>/move/", debt.item_move, name="debt-move"),
    path("debt/<int:item_id>/comment/", debt.item_comment, name="debt-comment"),
    path("debt/<int:item_id>/links/", debt.item_link, name="debt-link"),
    path("debt/<int:item_id>/links/<int:location_id>/remove/", debt.item_unlink, name="debt-unlink"),
    path("debt/<int:item_id>/resolution/", debt.item_resolution, name="debt-resolution"),
    # Teams, their sprints and debt budgets; scheduling items into sprints.
    path("teams/", sprints.teams, name="teams"),
    path("teams/<slug:slug>/", sprints.team, name="team"),
    path("teams/<slug:slug>/edit/<slug:what>/", sprints.team_edit, name="team-edit"),
    path("teams/<slug:slug>/members/<int:user_id>/", sprints.team_member_edit, name="team-member"),
    path("teams/<slug:slug>/delete/", sprints.team_remove, name="team-delete"),
    path("teams/<slug:slug>/sprints/current/", sprints.sprint_current, name="sprint-current"),
    path("teams/<slug:slug>/sprints/<int:number>/", sprints.sprint, name="sprint"),
    path("teams/<slug:slug>/sprints/<int:number>/edit/", sprints.sprint_edit, name="sprint-edit"),
    path("teams/<slug:slug>/sprints/<int:number>/items/<int:item_id>/remove/", sprints.sprint_unschedule,
         name="sprint-unschedule"),
    path("teams/<slug:slug>/sprints/<int:number>/fill/", sprints.sprint_fill, name="sprint-fill"),
    path("sprints/schedule/", sprints.schedule, name="schedule"),
    # Refactorathons: the list, planning, the running event, the report, exports.
    path("refactorathons/", refactorathons.refactorathons, name="refactorathons"),
    path("refactorathons/<slug:slug>/", refactorathons.refactorathon, name="refactorathon"),
    path("refactorathons/<slug:slug>/edit/<slug:what>/", refactorathons.refactorathon_edit,
         name="refactorathon-edit"),
    path("refactorathons/<slug:slug>/delete/", refactorathons.refactorathon_remove, name="refactorathon-delete"),
    path("refactorathons/<slug:slug>/event/", refactorathons.refactorathon_event, name="refactorathon-event"),
    path("refactorathons/<slug:slug>/report/", refactorathons.refactorathon_report_page,
         name="refactorathon-report"),
    path("refactorathons/<slug:slug>/plan.csv", refactorathons.refactorathon_plan_export,
         name="refactorathon-plan-csv"),
    path("refactorathons/<slug:slug>/event.ics", refactorathons.refactorathon_ics, name="refactorathon-ics"),
]

# Mounted by debtboard.urls ahead of the API's routes: /api/docs/ tells an anonymous visitor why it is closed
# and where to log in, and hands signed-in users to the API's Swagger UI.
api_docs_urlpatterns = [
    path("api/docs/", errors.api_docs, name="api-docs-page"),
]
