"""The console script ends without the interpreter's teardown (debtboard.fast_exit), and loses nothing by it:
the exit handlers run, threads finish, output arrives whole, and a failing command keeps its exit status."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(body: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run `command` (defined by `body`) through run_then_exit_quickly in a new process."""
    program = "from debtboard.fast_exit import run_then_exit_quickly\n" + textwrap.dedent(body) + (
        "\nrun_then_exit_quickly(command)\n")
    return subprocess.run([sys.executable, "-c", program], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)


def test_a_finished_command_skips_the_teardown_after_its_exit_handlers_threads_and_output(tmp_path):
    result = run(f"""
        import atexit, sys, threading, time
        class Teardown:
            def __del__(self):  # runs in the interpreter's teardown, which is skipped
                open({str(tmp_path / "teardown")!r}, "w").close()
        kept = Teardown()
        def command():
            atexit.register(lambda: open({str(tmp_path / "handler")!r}, "w").close())
            threading.Thread(target=lambda: (time.sleep(0.3), open({str(tmp_path / "thread")!r}, "w").close())).start()
            sys.stdout.write("x" * 1_000_000)  # buffered, more than a pipe holds: flushed before the exit
            sys.stderr.write("done")
    """, tmp_path)
    assert (result.returncode, len(result.stdout), result.stderr) == (0, 1_000_000, "done")
    assert (tmp_path / "handler").exists() and (tmp_path / "thread").exists()
    assert not (tmp_path / "teardown").exists()


def test_a_command_that_fails_or_exits_ends_the_usual_way(tmp_path):
    failed = run("def command():\n    raise RuntimeError('boom')\n", tmp_path)
    assert failed.returncode == 1 and "RuntimeError: boom" in failed.stderr
    exited = run("import sys\ndef command():\n    sys.exit(3)\n", tmp_path)
    assert exited.returncode == 3


def test_the_console_script_reads_its_output_whole_through_a_pipe(tmp_path):
    """`debtboard help --commands` (Django set up) through the console script's entry, against `main`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DEBTBOARD_DATA_DIR": str(tmp_path / "data"),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    outputs = [subprocess.run([sys.executable, "-c", f"from debtboard.cli import {name}; {name}()", "help",
                               "--commands"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
               for name in ("entry", "main")]
    assert [result.returncode for result in outputs] == [0, 0]
    assert outputs[0].stdout == outputs[1].stdout and "hotspots" in outputs[0].stdout
