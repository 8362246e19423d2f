"""The kernel template: a process that imports what every kernel needs once, then forks kernels.

Run as a script by :mod:`l2book.pipeline.forked_kernels` (``python kernel_template.py``,
with the build's environment). It imports ipykernel, numpy and matplotlib, writes ``ready`` and
then reads one JSON request per line on stdin: ``{"argv": [...], "cwd": ..., "env": {...},
"log": path or null}``. For each it forks a child that becomes an ipykernel exactly as
``python -m ipykernel_launcher ARGV`` would, in its own session, working folder and environment,
with stdout and stderr appended to ``log``, and answers ``{"pid": N}`` on stdout. End of input
ends the template; its kernels live on until their managers stop them.

No example code ever runs here, so every kernel starts from the same state as a new interpreter
that has imported those modules. This file imports nothing from l2book: the template must not hold
the package the examples test.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback

# Modules every example kernel imports: ipykernel's application and the shell it starts, numpy
# and matplotlib. The book's own package is left out (it is what the examples exercise).
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "numpy", "matplotlib.pyplot")

# ipykernel sets this when it starts, before any example imports matplotlib; importing matplotlib
# here reads it now, so it is set first, as ipykernel would (a reader's own setting wins).
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def _become_kernel(request: dict) -> int:
    """Turn this forked child into the requested kernel; returns its exit status."""
    os.setsid()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    log = request.get("log")
    target = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644) if log else null
    os.dup2(target, 1)
    os.dup2(target, 2)
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    # A kernel exits when its parent does (jupyter_client asks for it through JPY_PARENT_PID,
    # which ipykernel read when the template imported it): here the parent is the template, which
    # exits when the build does.
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    argv = [*request["argv"], f"--IPKernelApp.parent_handle={os.getppid()}"]
    sys.argv = [sys.argv[0], *argv]
    from ipykernel import kernelapp

    try:
        kernelapp.launch_new_instance(argv=argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1
    except BaseException:  # noqa: BLE001 - reported in the kernel's log, then the child exits
        traceback.print_exc()
        return 1
    return 0


def _reap(signum: int, frame: object) -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def serve() -> None:
    """Preload, then fork one kernel per request line until stdin closes."""
    # As ipykernel_launcher does: the working folder of the build must not shadow any module.
    if sys.path and sys.path[0] in ("", os.path.dirname(os.path.abspath(__file__))):
        del sys.path[0]
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    for module in PRELOAD:
        __import__(module)
    # Kernels are reaped as they exit (their managers watch them by pid); waiting for them, rather
    # than ignoring SIGCHLD, counts their CPU time in the template's, hence in the build's.
    signal.signal(signal.SIGCHLD, _reap)
    requests = os.fdopen(0, "rb", buffering=0)
    answers = os.fdopen(1, "wb", buffering=0)
    answers.write(b"ready\n")
    line = b""
    while True:
        chunk = requests.read(65536)
        if not chunk:
            return
        line += chunk
        while b"\n" in line:
            raw, line = line.split(b"\n", 1)
            request = json.loads(raw)
            pid = os.fork()
            if pid == 0:
                status = 1
                try:
                    requests.close()
                    answers.close()
                    status = _become_kernel(request)
                except BaseException:  # noqa: BLE001 - e.g. a working folder that is gone
                    # To the kernel's log if it was opened, else the build's error stream.
                    traceback.print_exc()
                finally:
                    # Never return into the template's loop, whatever happened.
                    try:
                        sys.stdout.flush()
                        sys.stderr.flush()
                    finally:
                        os._exit(status)
            answers.write(json.dumps({"pid": pid}).encode() + b"\n")


if __name__ == "__main__":
    serve()
