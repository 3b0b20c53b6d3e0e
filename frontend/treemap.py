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
    tree = _Tree()
    files = 0
    for path, lines, hotspot, health in rows:
        tree.add_file(path, max(int(lines or 0), 1), float(hotspot or 0.0), float(health))
        files += 1
    health_values = [
        round(total / lines, 2) if lines else None for total, lines in zip(tree.weighted_health, tree.loc)
    ]
    return {
        "root": root_label,
        "files": files,
        "ids": tree.ids,
        "parents": tree.parents,
        "loc": tree.loc,
        "score": [round(value, 2) for value in tree.score],
        "health": health_values,
    }


class _Tree:
    """The map's columns, one entry per node (the root first); folders are added as files reveal them."""

    def __init__(self) -> None:
        self.ids: list[str] = [ROOT_ID]
        self.parents: list[int] = [-1]
        self.loc: list[int] = [0]
        self.score: list[float] = [0.0]
        self.weighted_health: list[float] = [0.0]
        self.folders: dict[str, int] = {ROOT_ID: 0}

    def add_file(self, path: str, lines: int, hotspot: float, health: float) -> None:
        """Add a file and count its lines, score and lines-weighted health into every folder above it."""
        chain = self._folder_chain(path)
        self._append(path, chain[-1], lines, hotspot, health * lines)
        for node in chain:
            self.loc[node] += lines
            self.score[node] = max(self.score[node], hotspot)
            self.weighted_health[node] += health * lines

    def _folder_chain(self, path: str) -> list[int]:
        """The folder nodes from the root down to `path`'s folder, adding the ones not seen yet."""
        chain = [0]
        prefix = ""
        for part in path.split("/")[:-1]:
            prefix += part + "/"
            node = self.folders.get(prefix)
            if node is None:
                node = self.folders[prefix] = self._append(prefix, chain[-1], 0, 0.0, 0.0)
            chain.append(node)
        return chain

    def _append(self, node_id: str, parent: int, lines: int, score: float, weighted_health: float) -> int:
        self.ids.append(node_id)
        self.parents.append(parent)
        self.loc.append(lines)
        self.score.append(score)
        self.weighted_health.append(weighted_health)
        return len(self.ids) - 1
