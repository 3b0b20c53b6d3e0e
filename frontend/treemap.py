"""The hotspot map: file rows aggregated into a folder tree, sent to plotly as compact columnar JSON."""
from collections.abc import Iterable
from typing import Any

ROOT_ID = "/"


def hotspot_map(rows: Iterable[tuple[str, int, float, float]], *, root_label: str) -> dict[str, Any]:
    """Aggregate (path, loc, hotspot score, health) rows into a tree of folders and files.

    Node ids are paths; folders end with "/" and the root is "/". `parents` holds each node's
    parent as an index into `ids` (-1 for the root), so the JSON names every path only once.
    A folder's area is the sum of its files' lines (a file counts at least one line so it stays
    visible), its hotspot score the hottest file's, its health the lines-weighted mean health.
    """
    ids: list[str] = [ROOT_ID]
    parents: list[int] = [-1]
    loc: list[int] = [0]
    score: list[float] = [0.0]
    weighted_health: list[float] = [0.0]
    index: dict[str, int] = {ROOT_ID: 0}
    files = 0
    for path, lines, hotspot, health in rows:
        lines = max(int(lines or 0), 1)
        chain = [0]
        parts = path.split("/")
        prefix = ""
        for part in parts[:-1]:
            prefix += part + "/"
            node = index.get(prefix)
            if node is None:
                node = index[prefix] = len(ids)
                ids.append(prefix)
                parents.append(chain[-1])
                loc.append(0)
                score.append(0.0)
                weighted_health.append(0.0)
            chain.append(node)
        ids.append(path)
        parents.append(chain[-1])
        loc.append(lines)
        score.append(float(hotspot or 0.0))
        weighted_health.append(float(health) * lines)
        files += 1
        for node in chain:
            loc[node] += lines
            score[node] = max(score[node], float(hotspot or 0.0))
            weighted_health[node] += float(health) * lines
    health_values = [round(total / lines, 2) if lines else None for total, lines in zip(weighted_health, loc)]
    return {
        "root": root_label,
        "files": files,
        "ids": ids,
        "parents": parents,
        "loc": loc,
        "score": [round(value, 2) for value in score],
        "health": health_values,
    }
