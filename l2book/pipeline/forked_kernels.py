"""Start each example's kernel as a fork of a template that has already imported the heavy modules.

A new ``python3`` kernel spends about a second of CPU before an example's first line runs: the
interpreter starts, imports ipykernel and IPython, then numpy and matplotlib when the example
imports them. A clean build of the book starts 31 kernels. :class:`KernelTemplate` pays for
those imports once, in a process of its own (see :mod:`l2book.pipeline.kernel_template`), and
:class:`ForkedKernelManager` asks it for a fork instead of a new interpreter.

Each example still gets a kernel of its own, started from the same state: a fresh process with the
example's working folder, environment and connection file, in its own session; the template never
runs example code. The kernel is an ordinary ipykernel; only how its process begins differs.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from jupyter_client import AsyncKernelManager
from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

__all__ = ["ForkedKernelManager", "KernelTemplate", "TemplateUnavailable"]

# Under MkDocs the warning shows in the build log; elsewhere Python prints it to stderr.
log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class TemplateUnavailable(RuntimeError):
    """The kernel template did not start or has stopped; kernels start as new interpreters."""


_TEMPLATE_SCRIPT = Path(__file__).with_name("kernel_template.py")
_LAUNCHER = ["-m", "ipykernel_launcher"]


class KernelTemplate:
    """A running kernel template; :meth:`fork` starts one kernel from it.

    ``env`` is the environment the template imports under: variables read once at start-up
    (``PYTHONHASHSEED``, thread counts of the BLAS library) must be the kernels' values.
    """

    def __init__(self, env: dict[str, str], python: str = sys.executable, timeout: float = 60):
        self.python = python
        self.unavailable = False
        """Set once a fork failed: later kernels go straight to a new interpreter."""
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._start_error = ""
        self._timeout = timeout
        self._process: subprocess.Popen[bytes] | None = None
        try:
            self._process = subprocess.Popen(
                [python, str(_TEMPLATE_SCRIPT)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                cwd=os.path.dirname(_TEMPLATE_SCRIPT),
            )
        except OSError as error:
            self._start_error = f"the kernel template did not start: {error}"
            self._ready.set()
            return
        # Imports take a second: the caller goes on meanwhile; the first fork waits for them.
        threading.Thread(target=self._await_ready, daemon=True).start()

    def _await_ready(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        line = self._process.stdout.readline()
        if line.strip() != b"ready":
            status = self._process.wait()
            self._start_error = f"the kernel template did not start (exit status {status})"
        self._ready.set()

    @property
    def pid(self) -> int | None:
        """The template's process id (the parent of every kernel it starts), if it started."""
        return None if self._process is None else self._process.pid

    def accepts(self, cmd: list[str]) -> bool:
        """Whether ``cmd`` is the plain ipykernel command this template can stand in for."""
        return len(cmd) >= 3 and cmd[0] == self.python and cmd[1:3] == _LAUNCHER

    def fork(self, cmd: list[str], cwd: str, env: dict[str, str], log: str | None) -> int:
        """Start the kernel ``cmd`` would start, in ``cwd`` with ``env``; returns its pid.

        Raises :class:`TemplateUnavailable` if the template did not start or has stopped.
        """
        if not self._ready.wait(self._timeout):
            raise TemplateUnavailable(f"the kernel template did not start within {self._timeout:g} s")
        if self._start_error:
            raise TemplateUnavailable(self._start_error)
        assert self._process is not None
        request = {"argv": cmd[3:], "cwd": cwd, "env": env, "log": log}
        with self._lock:
            assert self._process.stdin is not None and self._process.stdout is not None
            try:
                self._process.stdin.write(json.dumps(request).encode() + b"\n")
                self._process.stdin.flush()
                answer = self._process.stdout.readline()
            except OSError as error:
                raise TemplateUnavailable(f"the kernel template stopped: {error}") from error
        if not answer:
            status = self._process.poll()
            raise TemplateUnavailable(f"the kernel template stopped (exit status {status})")
        return int(json.loads(answer)["pid"])

    def close(self) -> None:
        """End the template (the kernels it started are stopped by their managers)."""
        if self._process is None:
            return
        if self._process.stdin is not None:
            try:
                self._process.stdin.close()
            except OSError:
                pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()

    def __enter__(self) -> KernelTemplate:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _ForkedProcess:
    """The parts of :class:`subprocess.Popen` a provisioner uses, for a process not our child.

    The template reaps its kernels; a kernel that has exited no longer exists by its pid.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                # The template reaped it and holds its status; only the exit is known here.
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _log_path(stream: Any) -> str | None:
    name = getattr(stream, "name", None)
    return name if isinstance(name, str) and os.path.isabs(name) else None


class ForkedProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching through a :class:`KernelTemplate`.

    Any command the template cannot stand in for (another kernel, another interpreter) is launched
    as usual, and so is every kernel once the template is unavailable (said once, as a warning).
    """

    template: KernelTemplate | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        template = self.template
        if template is None or template.unavailable or not template.accepts(cmd):
            return await super().launch_kernel(cmd, **kwargs)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        env = dict(kwargs.get("env") or os.environ)
        try:
            pid = template.fork(cmd, cwd, env, _log_path(kwargs.get("stdout")))
        except TemplateUnavailable as error:
            template.unavailable = True
            log.warning(f"l2book: {error}; kernels start as new interpreters instead")
            return await super().launch_kernel(cmd, **kwargs)
        self.process = _ForkedProcess(pid)  # type: ignore[assignment]
        # The kernel leads its own session, hence its own process group.
        self.pid = self.pgid = self.process.pid
        self.cwd = cwd
        return self.connection_info

    async def send_signal(self, signum: int) -> None:
        # The template reaps a kernel as soon as it exits, after which its process group id may
        # belong to another process: signal the group only while the kernel is alive.
        if isinstance(self.process, _ForkedProcess) and self.process.poll() is not None:
            return
        await super().send_signal(signum)


class ForkedKernelManager(AsyncKernelManager):
    """An async kernel manager whose kernels are forks of ``template``."""

    def __init__(self, template: KernelTemplate, **kwargs: Any):
        super().__init__(**kwargs)
        self._template = template

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            provisioner = ForkedProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
            provisioner.template = self._template
            self.provisioner = provisioner
        return await super()._async_pre_start_kernel(**kw)

    pre_start_kernel = _async_pre_start_kernel  # type: ignore[assignment]
