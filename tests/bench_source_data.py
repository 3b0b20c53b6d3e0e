"""Database set-up of bench/bench_source_pages.py: a real git blob placed in a bulk-built scan (no models in bench/)."""
from metrics.models import BlobAnalysis, FunctionAnalysis, Marker, Repository, Scan, SnapshotFile, Violation


def bench_source_file(*, repository: Repository, scan: Scan, repo_path: str, path: str, blob_sha: str,
                      lines: int, size_bytes: int) -> None:
    """Point `repository` at the git folder `repo_path` and add `path` (blob `blob_sha`) to `scan` with one
    function per 20 lines, a lint violation every 10 lines and a marker every 50, as a scan would store them."""
    Repository.objects.filter(pk=repository.pk).update(path=repo_path)
    functions = lines // 20
    blob = BlobAnalysis.objects.create(blob_sha=blob_sha, fingerprint="bench", size_bytes=size_bytes, loc=lines,
                                       sloc=lines, function_count=functions, violation_count=lines // 10,
                                       marker_count=lines // 50)
    SnapshotFile.objects.create(scan=scan, path=path, blob_sha=blob_sha, analysis=blob)
    FunctionAnalysis.objects.bulk_create([
        FunctionAnalysis(blob=blob, kind="function", name=f"handler_{n}", qualname=f"handler_{n}", lineno=n * 20 + 1,
                         endline=n * 20 + 19, complexity=1 + n % 12, rank="B")
        for n in range(functions)
    ])
    Violation.objects.bulk_create([
        Violation(blob=blob, code="E501", line=line, column=80, message="line too long (91 > 79 characters)")
        for line in range(5, lines + 1, 10)
    ])
    Marker.objects.bulk_create([
        Marker(blob=blob, tag="TODO", line=line, text="TODO: tidy") for line in range(7, lines + 1, 50)
    ])
