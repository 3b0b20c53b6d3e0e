"""HTML routes."""
from django.urls import path

from frontend.views import (
    board,
    boy_scout,
    check_policy,
    checks,
    debt,
    files,
    hotspots,
    members,
    proposals,
    repositories,
    scans,
    transfer,
)

app_name = "frontend"

urlpatterns = [
    path("", repositories.home, name="home"),
    # A repository's code: dashboard, hotspot map, rankings, files, scans.
    path("repos/<slug:name>/", repositories.dashboard, name="dashboard"),
    path("repos/<slug:name>/hotspot-map.json", repositories.hotspot_map_data, name="hotspot-map"),
    path("repos/<slug:name>/scan/", scans.scan_now, name="scan-now"),
    path("repos/<slug:name>/scan/status/", scans.scan_status, name="scan-status"),
    path("repos/<slug:name>/hotspots/", hotspots.file_ranking, name="hotspots"),
    path("repos/<slug:name>/hotspots.csv", hotspots.file_ranking_csv, name="hotspots-csv"),
    path("repos/<slug:name>/functions/", hotspots.function_ranking, name="functions"),
    path("repos/<slug:name>/functions.csv", hotspots.function_ranking_csv, name="functions-csv"),
    path("repos/<slug:name>/files/<path:path>", files.file_detail, name="file"),
    path("repos/<slug:name>/checks/", checks.check_list, name="checks"),
    path("repos/<slug:name>/boy-scout/", boy_scout.repository_record, name="boy-scout"),
    path("teams/<slug:slug>/boy-scout/", boy_scout.team_record, name="team-boy-scout"),
    path("repos/<slug:name>/settings/", repositories.settings_edit, name="repo-settings"),
    path("repos/<slug:name>/settings/delete/", repositories.settings_delete, name="repo-delete"),
    path("repos/<slug:name>/settings/check-policy/", check_policy.check_policy_edit, name="repo-check-policy"),
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
]
