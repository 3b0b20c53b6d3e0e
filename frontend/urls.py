"""HTML routes."""
from django.urls import path

from frontend.views import files, hotspots, repositories, scans

app_name = "frontend"

urlpatterns = [
    path("", repositories.home, name="home"),
    path("repos/<slug:name>/", repositories.dashboard, name="dashboard"),
    path("repos/<slug:name>/hotspot-map.json", repositories.hotspot_map_data, name="hotspot-map"),
    path("repos/<slug:name>/scan/", scans.scan_now, name="scan-now"),
    path("repos/<slug:name>/scan/status/", scans.scan_status, name="scan-status"),
    path("repos/<slug:name>/hotspots/", hotspots.file_ranking, name="hotspots"),
    path("repos/<slug:name>/hotspots.csv", hotspots.file_ranking_csv, name="hotspots-csv"),
    path("repos/<slug:name>/functions/", hotspots.function_ranking, name="functions"),
    path("repos/<slug:name>/functions.csv", hotspots.function_ranking_csv, name="functions-csv"),
    path("repos/<slug:name>/files/<path:path>", files.file_detail, name="file"),
]
