"""Planner input from the register and the scans: candidates with value, hours, owners and coupling groups."""
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from metrics.selectors.repositories import repository_get
from metrics.selectors.scope_figures import coupled_pairs, file_author_shares
from sprints.core.planning_data import Candidate, Owner, Participant
from sprints.data import CandidateLine


class _Groups:
    """Union-find over (repository id, path): files coupled above the threshold end in one group."""

    def __init__(self) -> None:
        self.parent: dict[tuple[int, str], tuple[int, str]] = {}

    def find(self, key: tuple[int, str]) -> tuple[int, str]:
        root = key
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        self.parent[key] = root
        return root

    def join(self, a: tuple[int, str], b: tuple[int, str]) -> None:
        self.parent[self.find(a)] = self.find(b)


def _owners(lines: Sequence[CandidateLine], shares: dict[int, dict[str, Any]]) -> dict[int, tuple[Owner, ...]]:
    """Each item's owners: the authors' shares of its files, averaged over the files (identity: e-mail or name)."""
    owners: dict[int, tuple[Owner, ...]] = {}
    for line in lines:
        summed: dict[str, float] = defaultdict(float)
        files = [path for path in line.paths if path in shares.get(line.repository_id, {})]
        for path in files:
            for author in shares[line.repository_id][path]:
                summed[(author.email or author.author).strip().lower()] += author.share / len(files)
        owners[line.item_id] = tuple(Owner(author=key, share=round(min(1.0, share), 4))
                                     for key, share in sorted(summed.items(), key=lambda kv: (-kv[1], kv[0])) if share)
    return owners


def _groups(lines: Sequence[CandidateLine], threshold: float,
            pairs: dict[int, list[tuple[str, str, float]]]) -> dict[int, tuple[str, ...]]:
    """Items on files coupled at or above the threshold share a group id (the group's root file)."""
    groups = _Groups()
    for repository_id, found in pairs.items():
        for path_a, path_b, _degree in found:
            groups.join((repository_id, path_a), (repository_id, path_b))
    by_root: dict[tuple[int, str], set[int]] = defaultdict(set)
    for line in lines:
        for path in line.paths:
            if (line.repository_id, path) in groups.parent:
                by_root[groups.find((line.repository_id, path))].add(line.item_id)
    result: dict[int, set[str]] = defaultdict(set)
    for (repository_id, root), items in by_root.items():
        if len(items) > 1:
            for item_id in items:
                result[item_id].add(f"coupled:{repository_id}:{root}")
    return {item_id: tuple(sorted(ids)) for item_id, ids in result.items()}


def planner_candidates(lines: Sequence[CandidateLine], *, coupling_threshold: float) -> list[Candidate]:
    """Planner candidates: value = priority, effort in hours, owners from file authors, coupling groups."""
    by_repository: dict[int, set[str]] = defaultdict(set)
    for line in lines:
        by_repository[line.repository_id].update(line.paths)
    shares: dict[int, dict[str, Any]] = {}
    pairs: dict[int, list[tuple[str, str, float]]] = {}
    for repository_id, paths in by_repository.items():
        scan_id = repository_get(repository_id=repository_id).current_scan_id
        if scan_id is None:
            continue
        shares[repository_id] = file_author_shares(scan_id=scan_id, paths=paths)
        pairs[repository_id] = coupled_pairs(scan_id=scan_id, paths=paths, min_degree=coupling_threshold)
    owners = _owners(lines, shares)
    groups = _groups(lines, coupling_threshold, pairs)
    return [Candidate(id=str(line.item_id), value=max(0.0, line.value), effort=line.effort_hours, paths=line.paths,
                      owners=owners.get(line.item_id, ()), groups=groups.get(line.item_id, ()),
                      pinned=line.pinned, excluded=line.excluded)
            for line in lines]


def planner_participant(username: str, hours: float, areas: Iterable[str], identities: Iterable[str]) -> Participant:
    """A planner participant named by username, matched to git authors by e-mail and name (lower case)."""
    return Participant(id=username, capacity=round(float(hours), 2), areas=tuple(areas),
                       authors=tuple(dict.fromkeys(value.lower() for value in identities)))
