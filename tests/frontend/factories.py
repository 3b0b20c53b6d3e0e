"""Model factories for the frontend tests: a repository with a succeeded current scan and its results."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import factory
from django.contrib.auth import get_user_model

from metrics.models import (
    BlobAnalysis,
    CodeOwner,
    Coupling,
    FileAuthor,
    FileScore,
    FunctionAnalysis,
    FunctionScore,
    Marker,
    Repository,
    Scan,
    SnapshotFile,
    Violation,
)

PASSWORD = "correct horse battery staple"
BASE = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)
WINDOWS = (90, 365, 0)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(PASSWORD)


class RepositoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Repository

    name = factory.Sequence(lambda n: f"repo-{n}")
    path = factory.LazyAttribute(lambda repo: f"/srv/git/{repo.name}")


class ScanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scan

    repository = factory.SubFactory(RepositoryFactory)
    status = Scan.Status.SUCCEEDED
    stage = Scan.Stage.DONE
    commit_sha = factory.Sequence(lambda n: f"{n:040x}")
    committed_at = BASE
    started_at = BASE
    finished_at = BASE + timedelta(minutes=2)


class BlobAnalysisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlobAnalysis

    blob_sha = factory.Sequence(lambda n: f"b{n:039x}")
    fingerprint = "test-fingerprint"
    loc = 120
    lloc = 80
    sloc = 100
    comments = 10
    blank = 10
    mi = 55.0
    mi_rank = "A"
    total_complexity = 14
    max_complexity = 9
    function_count = 2


@dataclass
class ScannedRepository:
    """What `scanned_repository` built, for assertions."""

    repository: Repository
    scan: Scan
    paths: list[str]
    blobs: dict[str, BlobAnalysis] = field(default_factory=dict)


def _summary(paths: list[str], health: float) -> dict:
    return {
        "files": len(paths), "loc": 100 * len(paths), "mean_health": health,
        "health_bands": {"healthy": max(len(paths) - 2, 0), "warning": min(len(paths), 1), "alert": min(len(paths), 1)},
        "total_complexity": 14 * len(paths), "violations": 2 * len(paths), "markers": len(paths), "hotspots": 2,
    }


def scanned_repository(
    *,
    name: str = "shop",
    paths: tuple[str, ...] = ("src/shop/billing.py", "src/shop/cart.py", "src/util/text.py", "setup.py"),
    history: int = 2,
) -> ScannedRepository:
    """Create a repository whose current scan has scores, functions, lint, markers, coupling, authors, owners.

    `history` older succeeded scans (the first one a backfill) precede the current one, for trend charts.
    """
    repository = RepositoryFactory(name=name)
    for index in range(history):
        older = ScanFactory(
            repository=repository, is_backfill=index == 0, committed_at=BASE - timedelta(days=30 * (history - index)),
            summary=_summary(list(paths), min(6.0 + index, 9.5)),
        )
        blob = BlobAnalysisFactory(total_complexity=10 + index, violation_count=3, marker_count=1)
        SnapshotFile.objects.create(scan=older, path=paths[0], blob_sha=blob.blob_sha, analysis=blob)
        FileScore.objects.create(scan=older, window_days=365, path=paths[0], hotspot_score=40.0 + index,
                                 health=min(6.0 + index, 9.5), loc=100, hotspot_rank=1)
    scan = ScanFactory(repository=repository, summary=_summary(list(paths), 8.2))
    built = ScannedRepository(repository=repository, scan=scan, paths=list(paths))
    count = len(paths)
    for index, path in enumerate(paths):
        blob = BlobAnalysisFactory(violation_count=2, marker_count=1)
        built.blobs[path] = blob
        SnapshotFile.objects.create(scan=scan, path=path, blob_sha=blob.blob_sha, analysis=blob)
        FunctionAnalysis.objects.create(blob=blob, kind="function", name="total", qualname="total", lineno=3,
                                        endline=20, complexity=9, rank="B")
        FunctionAnalysis.objects.create(blob=blob, kind="method", name="add", qualname="Cart.add", lineno=25,
                                        endline=40, complexity=5, rank="A")
        Violation.objects.create(blob=blob, code="E501", line=7, column=80,
                                 message="line too long (91 > 79 characters)")
        Violation.objects.create(blob=blob, code="F401", line=1, column=1, message="'os' imported but unused")
        Marker.objects.create(blob=blob, kind=Marker.Kind.DEBT, tag="TODO", line=12, text="TODO: handle refunds")
        cold = index / max(count - 1, 1)  # 0 for the hottest file, 1 for the coldest
        loc = 60 + (index * 37) % 400
        complexity = 5 + (index * 7) % 40
        for window in WINDOWS:
            score = round(90.0 - 80.0 * cold, 2)
            FileScore.objects.create(
                scan=scan, window_days=window, path=path, analysis=blob, revisions=1 + round(19 * (1 - cold)),
                added=300, deleted=100, churn=20 + round(380 * (1 - cold)), authors=1 + index % 4,
                main_author="Ada Lovelace", ownership_share=0.7, loc=loc, complexity=complexity,
                max_function_complexity=9, violations=2, lint_density=round(200 / loc, 2), markers=1,
                hotspot_score=score, hotspot_rank=index + 1, health=round(1.0 + 9.0 * cold, 2),
                is_knowledge_island=index == 0,
                breakdown={"change_frequency": 0.8, "complexity": {"total": complexity, "normalised": 0.6}},
                last_changed=BASE - timedelta(days=index),
            )
            FunctionScore.objects.create(
                scan=scan, window_days=window, path=path, qualname="total", name="total", kind="function", lineno=3,
                endline=20, complexity=9, rank="B", changes=6, hotspot_score=score / 2, hotspot_rank=2 * index + 1,
            )
            FunctionScore.objects.create(
                scan=scan, window_days=window, path=path, qualname="Cart.add", name="add", kind="method", lineno=25,
                endline=40, complexity=5, rank="A", changes=2, hotspot_score=score / 4, hotspot_rank=2 * index + 2,
            )
        FileAuthor.objects.create(scan=scan, path=path, author="Ada Lovelace", email="ada@example.com", commits=14,
                                  added_lines=210, share=0.7)
        FileAuthor.objects.create(scan=scan, path=path, author="Grace Hopper", email="grace@example.com", commits=6,
                                  added_lines=90, share=0.3)
        CodeOwner.objects.create(scan=scan, path=path, owners=["@shop-team", "@ada"], pattern="src/shop/", line=3)
    if count > 1:
        for window in WINDOWS:
            Coupling.objects.create(scan=scan, window_days=window, path_a=paths[0], path_b=paths[1],
                                    shared_revisions=8, revisions_a=20, revisions_b=19, degree=0.41)
    repository.current_scan = scan
    repository.save(update_fields=["current_scan"])
    return built


def bulk_scanned_repository(*, name: str = "huge", files: int = 10_000, history: int = 12) -> ScannedRepository:
    """A repository whose current scan scores `files` files and as many functions, written with bulk_create.

    Paths spread over 20 packages of 25 modules each; `history` earlier scans give the trend charts
    points. The first 20 files also have snapshot rows with analysis, functions, lint and markers.
    """
    repository = RepositoryFactory(name=name)
    paths = [f"pkg{i % 20:02d}/mod{(i // 20) % 25:02d}/file{i:05d}.py" for i in range(files)]
    for index in range(history):
        ScanFactory(repository=repository, committed_at=BASE - timedelta(days=7 * (history - index)),
                    is_backfill=True, summary=_summary(paths, 5.0 + index / history))
    scan = ScanFactory(repository=repository, summary=_summary(paths, 6.5))
    FileScore.objects.bulk_create([
        FileScore(scan=scan, window_days=365, path=path, revisions=1 + i % 40, churn=(i * 37) % 5000,
                  authors=1 + i % 6, loc=20 + (i * 53) % 900, complexity=1 + (i * 11) % 150,
                  max_function_complexity=1 + i % 30, violations=i % 25, lint_density=(i % 25) / 3,
                  markers=i % 3, hotspot_score=round(100.0 * (files - i) / files, 3), hotspot_rank=i + 1,
                  health=round(1 + (i % 90) / 10, 2), breakdown={"frequency": 0.5, "complexity": 0.4})
        for i, path in enumerate(paths)
    ], batch_size=2000)
    FunctionScore.objects.bulk_create([
        FunctionScore(scan=scan, window_days=365, path=path, qualname=f"handler_{i}", name=f"handler_{i}",
                      lineno=10, endline=40, complexity=1 + i % 30, rank="C", changes=1 + i % 12,
                      hotspot_score=float((1 + i % 30) * (1 + i % 12)), hotspot_rank=i + 1)
        for i, path in enumerate(paths)
    ], batch_size=2000)
    built = ScannedRepository(repository=repository, scan=scan, paths=paths)
    for path in paths[:20]:
        blob = BlobAnalysisFactory(violation_count=1, marker_count=1)
        built.blobs[path] = blob
        SnapshotFile.objects.create(scan=scan, path=path, blob_sha=blob.blob_sha, analysis=blob)
        FunctionAnalysis.objects.create(blob=blob, kind="function", name="handler", qualname="handler", lineno=10,
                                        endline=40, complexity=12, rank="C")
        Violation.objects.create(blob=blob, code="W605", line=3, column=1, message="invalid escape sequence")
        Marker.objects.create(blob=blob, tag="FIXME", line=5, text="FIXME: slow")
        FileAuthor.objects.create(scan=scan, path=path, author="Ada Lovelace", commits=3, added_lines=50, share=1.0)
    repository.current_scan = scan
    repository.save(update_fields=["current_scan"])
    return built
