"""The hotspot map: file rows aggregated into a folder tree, sent to plotly as compact columnar JSON."""
from collections.abc import Iterable
from typing import Any

ROOT_ID = "/"


def hotspot_map(rows: Iterable[tuple[str, int, float, float]], *, root_label: str) -> dict[str, Any]:
    """Aggregate (path, loc, hotspot score, health) rows into a tree of folders and files.

    Node ids are paths; folders end with "/" and the repository root is "/". `parents` holds each
    node's parent as an index into `ids` (-1 for the root), so the JSON names every path only once.
    Chains of folders with a single sub-folder and no file are collapsed into one node, and the map
    starts at the first folder that branches (`start`, "" for the repository root; the first id is
    that folder), so a `src/pkg/` layout shows its files at once.
    A folder's area is the sum of its files' lines (a file counts at least one line so it stays
    visible); its hotspot score and health are the lines-weighted means of its files, and `hottest`
    names the index of its hottest file (-1 for a file).
    """
    tree = _Tree()
    for path, lines, hotspot, health in rows:
        tree.add_file(path, max(int(lines or 0), 1), float(hotspot or 0.0), float(health))
    return _collapsed(tree, root_label=root_label)


class _Tree:
    """The full tree, one entry per node (the root first); folders are added as files reveal them."""

    def __init__(self) -> None:
        self.ids: list[str] = [ROOT_ID]
        self.parents: list[int] = [-1]
        self.loc: list[int] = [0]
        self.weighted_score: list[float] = [0.0]
        self.weighted_health: list[float] = [0.0]
        self.hottest: list[int] = [-1]
        self.own_score: list[float] = [0.0]
        self.children: list[list[int]] = [[]]
        self.folders: dict[str, int] = {ROOT_ID: 0}
        self.files = 0

    def add_file(self, path: str, lines: int, hotspot: float, health: float) -> None:
        """Add a file and count its lines, score, health and heat into every folder above it."""
        chain = self._folder_chain(path)
        node = self._append(path, chain[-1])
        self.files += 1
        self.own_score[node] = hotspot
        for index in (*chain, node):
            self.loc[index] += lines
            self.weighted_score[index] += hotspot * lines
            self.weighted_health[index] += health * lines
        for folder in chain:
            hottest = self.hottest[folder]
            if hottest < 0 or hotspot > self.own_score[hottest]:
                self.hottest[folder] = node

    def is_folder(self, node: int) -> bool:
        return self.ids[node].endswith("/")

    def _folder_chain(self, path: str) -> list[int]:
        """The folder nodes from the root down to `path`'s folder, adding the ones not seen yet."""
        chain = [0]
        prefix = ""
        for part in path.split("/")[:-1]:
            prefix += part + "/"
            node = self.folders.get(prefix)
            if node is None:
                node = self.folders[prefix] = self._append(prefix, chain[-1])
            chain.append(node)
        return chain

    def _append(self, node_id: str, parent: int) -> int:
        self.ids.append(node_id)
        self.parents.append(parent)
        for column in (self.loc, self.weighted_score, self.weighted_health, self.own_score):
            column.append(0)
        self.hottest.append(-1)
        self.children.append([])
        self.children[parent].append(len(self.ids) - 1)
        return len(self.ids) - 1


def _skip_chain(tree: _Tree, node: int) -> int:
    """Follow folders whose only child is a folder down to the first one that branches or holds files."""
    while len(tree.children[node]) == 1 and tree.is_folder(tree.children[node][0]):
        node = tree.children[node][0]
    return node


def _collapsed(tree: _Tree, *, root_label: str) -> dict[str, Any]:
    """The map's columns over the collapsed tree, root first, parents before their children."""
    start = _skip_chain(tree, 0)
    out: dict[str, Any] = {"ids": [], "parents": [], "loc": [], "score": [], "health": [], "hottest": []}
    new_index: dict[int, int] = {}
    stack: list[tuple[int, int]] = [(start, -1)]
    while stack:
        node, parent = stack.pop()
        new_index[node] = len(out["ids"])
        lines = tree.loc[node]
        out["ids"].append(tree.ids[node])
        out["parents"].append(parent)
        out["loc"].append(lines)
        out["score"].append(round(tree.weighted_score[node] / lines, 2) if lines else 0.0)
        out["health"].append(round(tree.weighted_health[node] / lines, 2) if lines else None)
        out["hottest"].append(tree.hottest[node])
        for child in reversed(tree.children[node]):
            stack.append((_skip_chain(tree, child) if tree.is_folder(child) else child, new_index[node]))
    out["hottest"] = [new_index.get(node, -1) for node in out["hottest"]]
    start_path = "" if start == 0 else tree.ids[start]
    return {"root": root_label + (f" · {start_path}" if start_path else ""), "start": start_path,
            "files": tree.files, **out}
