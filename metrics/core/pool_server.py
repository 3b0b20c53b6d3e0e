"""What the analysis pool's server process (multiprocessing's forkserver) loads before it forks workers.

The server imports the analysis once (radon and flake8: every worker forked from it starts warm), and it
ends without the interpreter's teardown. It ends when the process that started it does; its teardown
(freeing radon, flake8 and their modules: 0.04-0.07 s on this project's 2-core machine) held the
command's output open until then, so a `debtboard scan` read through a pipe ended that much later.
The workers it forks end with os._exit when their work is done (multiprocessing.forkserver), so the
handler registered here never runs in them; this module is loaded by the server only (metrics.core.pool).
"""
import atexit
import os

import metrics.core.pool  # noqa: F401  (the analysis, imported once in the server)

atexit.register(os._exit, 0)
