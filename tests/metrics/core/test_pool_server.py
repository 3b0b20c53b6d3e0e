"""The analysis pool's server process ends without the interpreter's teardown (metrics.core.pool_server),
and the workers it forks still analyse (their own exit is os._exit, the handler never runs in them)."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from metrics.core.pool import analyze_blobs
from tests.metrics.core.test_pool import FAST, GOOD, assert_good, sha

ROOT = Path(__file__).resolve().parents[3]


def test_a_process_that_loaded_it_skips_the_teardown_once_its_exit_handlers_ran(tmp_path):
    program = textwrap.dedent(f"""
        import atexit
        atexit.register(lambda: open({str(tmp_path / "handler")!r}, "w").close())  # before: runs after it
        import metrics.core.pool_server
        class Teardown:
            def __del__(self):
                open({str(tmp_path / "teardown")!r}, "w").close()
        kept = Teardown()
        atexit.register(lambda: open({str(tmp_path / "later")!r}, "w").close())  # after: runs before it
    """)
    result = subprocess.run([sys.executable, "-c", program], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "later").exists()
    assert not (tmp_path / "teardown").exists() and not (tmp_path / "handler").exists()


def test_workers_forked_by_the_server_analyse_as_before():
    items = [(f"m{index}.py", sha(index), GOOD + f"# {index}\n".encode()) for index in range(4)]
    results = dict(analyze_blobs(items, FAST, workers=2))
    assert sorted(results) == sorted(sha(index) for index in range(4))
    for analysis in results.values():
        assert_good(analysis)
