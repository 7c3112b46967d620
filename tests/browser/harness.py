"""Real-browser test harness: Debian's Chromium driven by Playwright, and a real JupyterLab.

Nothing here is mocked.  The pieces are:

* :func:`launch_chromium` starts ``/usr/bin/chromium`` through Playwright's *sync*
  API, with flags that keep it off the (closed) network and a throw-away HOME so
  it writes nothing into the real home directory.
* :class:`JupyterLabServer` is a context manager running ``python -m jupyterlab``
  on 127.0.0.1 with a random token, every Jupyter/IPython directory in a
  temporary tree, and the news / update-check toast switched off.  On exit it
  stops the server (and the kernels it started) and waits until they are gone.
* :func:`open_notebook`, :func:`wait_kernel_idle`, :func:`run_all_cells` and
  :func:`cell_outputs_text` drive a JupyterLab 4 page; :func:`record_requests`
  logs every URL a page asks for.

Never call ``playwright install``: the browser is the system one.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import site
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

__all__ = [
    "CHROMIUM_PATH",
    "CHROMIUM_ARGS",
    "launch_chromium",
    "JupyterLabServer",
    "pid_alive",
    "open_notebook",
    "wait_kernel_idle",
    "run_all_cells",
    "cell_outputs_text",
    "record_requests",
]

# Debian's Chromium by default; ./run and the README name GRAPHVIZ_AD_CHROMIUM for elsewhere (macOS).
CHROMIUM_PATH = os.environ.get("GRAPHVIZ_AD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)

# Generous: the first JupyterLab load on a 2-core machine takes a while.
PAGE_LOAD_TIMEOUT_MS = 60_000
KERNEL_TIMEOUT_MS = 30_000
RUN_TIMEOUT_MS = 120_000

# The notebook panel in the current main-area tab (background tabs get lm-mod-hidden).
_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
_NOTEBOOK = f"{_PANEL} .jp-Notebook"
_PROMPTS = f"{_NOTEBOOK} .jp-CodeCell .jp-InputArea-prompt"

# JupyterLab 4 kernel state, as found in the DOM of 4.6:
# * toolbar: <div class="jp-Notebook-ExecutionIndicator" data-status="idle|busy|...">
#   next to <div class="jp-KernelName">Python 3 (ipykernel)</div>.  Before any
#   kernel is attached the indicator already says "idle" while the name says
#   "No Kernel", so both are checked.
# * status bar: <span class="jp-StatusBar-TextItem">Python 3 (ipykernel) | Idle</span>
#   (it reads "No Kernel | Initializing" during start-up).
_KERNEL_IDLE_JS = """panel => {
    const p = document.querySelector(panel);
    const status = p && p.querySelector('.jp-Notebook-ExecutionIndicator');
    const name = p && p.querySelector('.jp-KernelName');
    const kernelName = name ? name.textContent.trim() : '';
    const bar = [...document.querySelectorAll('.jp-StatusBar-TextItem')]
        .map(e => e.textContent.trim());
    return !!status && status.dataset.status === 'idle'
        && kernelName !== '' && kernelName !== 'No Kernel'
        && bar.includes(kernelName + ' | Idle');
}"""


def _private_home(prefix: str) -> tuple[tempfile.TemporaryDirectory, dict[str, str]]:
    """A temporary HOME and an environment pointing every per-user dir into it."""
    home = tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True)
    env = dict(os.environ)
    env.update(
        HOME=home.name,
        XDG_CONFIG_HOME=os.path.join(home.name, ".config"),
        XDG_CACHE_HOME=os.path.join(home.name, ".cache"),
        XDG_DATA_HOME=os.path.join(home.name, ".local", "share"),
        # Keep packages installed with ``pip --user`` importable under the new HOME.
        PYTHONUSERBASE=site.getuserbase(),
    )
    return home, env


def launch_chromium(playwright, **launch_options):
    """Launch Debian's Chromium headless through Playwright's sync API.

    ``playwright`` is the object from ``sync_playwright().start()`` (or the
    ``with`` block).  Playwright gives the browser a fresh temporary profile;
    HOME and the XDG dirs point at a temporary directory removed when the
    browser disconnects.  Extra keyword arguments go to ``chromium.launch``.
    """
    home, env = _private_home("chromium-home-")
    options = {
        "executable_path": CHROMIUM_PATH,
        "args": list(CHROMIUM_ARGS),
        "headless": True,
        "env": env,
    }
    options.update(launch_options)
    try:
        browser = playwright.chromium.launch(**options)
    except BaseException:
        home.cleanup()
        raise
    browser.on("disconnected", lambda _browser: home.cleanup())
    return browser


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pid_alive(pid: int) -> bool:
    """True if ``pid`` is a live process (zombies count as dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    # The state letter follows the parenthesised command name.
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _child_pids(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return children


def _wait_gone(pids, timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    alive = [p for p in pids if pid_alive(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [p for p in alive if pid_alive(p)]
    return alive


def _kill(pid: int, sig: int) -> None:
    """Signal ``pid``'s whole process group if it leads one, else just ``pid``."""
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass  # already gone


def _exited_unreaped(pid: int, timeout: float) -> bool:
    """Wait up to ``timeout`` s for child ``pid`` to exit, leaving it a zombie.

    While the zombie is unreaped its PID -- and so its process-group id --
    cannot be reused, which makes a final ``killpg`` on the group safe.
    """
    deadline = time.monotonic() + timeout
    while True:
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


class JupyterLabServer:
    """A real JupyterLab server in a sandbox of temporary directories.

    Use as a context manager::

        with JupyterLabServer() as server:
            name = server.copy_notebook("demo.ipynb")
            open_notebook(page, server, name)

    Attributes: ``url`` (``http://127.0.0.1:<port>``, no trailing slash),
    ``token``, ``root_dir`` (a :class:`~pathlib.Path`), ``pid``, ``process``
    and ``log_path`` (server stdout+stderr; see :meth:`log_tail`).  Kernels
    keep running until the server stops, one per opened notebook path.
    """

    #: JupyterLab settings written to ``<app_settings_dir>/overrides.json``.
    SETTINGS_OVERRIDES = {
        "@jupyterlab/apputils-extension:notification": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
        # Attach every cell to the DOM, so that counting cells and prompts is exact.
        "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    }

    def __init__(self, startup_timeout: float = 90.0, extra_args=()):
        self.startup_timeout = startup_timeout
        self.extra_args = list(extra_args)
        self.process: subprocess.Popen | None = None
        self.url = ""
        self.token = ""
        self.root_dir: Path | None = None
        self.log_path: Path | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._log = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def __enter__(self) -> "JupyterLabServer":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> None:
        """Start the server and block until ``/api/status`` answers."""
        if self.process is not None:
            raise RuntimeError("server already started")
        self._tmp, env = _private_home("jupyterlab-")
        base = Path(self._tmp.name)
        dirs = {
            name: base / name
            for name in ("root", "config", "data", "runtime", "ipython",
                         "user-settings", "workspaces", "app-settings")
        }
        for path in dirs.values():
            path.mkdir()
        (dirs["app-settings"] / "overrides.json").write_text(json.dumps(self.SETTINGS_OVERRIDES))
        env.update(
            JUPYTER_CONFIG_DIR=str(dirs["config"]),
            JUPYTER_DATA_DIR=str(dirs["data"]),
            JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
            IPYTHONDIR=str(dirs["ipython"]),
            JUPYTERLAB_SETTINGS_DIR=str(dirs["user-settings"]),
            JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]),
        )
        self.root_dir = dirs["root"]
        self.token = secrets.token_hex(24)
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        cmd = [
            sys.executable, "-m", "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            f"--LabApp.user_settings_dir={dirs['user-settings']}",
            f"--LabApp.workspaces_dir={dirs['workspaces']}",
            f"--LabApp.app_settings_dir={dirs['app-settings']}",
            # Server side of the same switch: no news feed, no update check.
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",  # never query PyPI
            *self.extra_args,
        ]
        self.log_path = base / "server.log"
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            cmd, cwd=self.root_dir, env=env, stdin=subprocess.DEVNULL,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> None:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        request = urllib.request.Request(
            f"{self.url}/api/status", headers={"Authorization": f"token {self.token}"}
        )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                with opener.open(request, timeout=5):
                    return
            except urllib.error.HTTPError as error:  # listening, but refusing us
                raise RuntimeError(f"/api/status answered {error.code}:\n{self.log_tail()}")
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass  # not listening yet
            time.sleep(0.25)
        raise TimeoutError(
            f"JupyterLab did not answer within {self.startup_timeout}s:\n{self.log_tail()}"
        )

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the server's combined stdout/stderr."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")[-chars:]

    def copy_notebook(self, src) -> str:
        """Copy ``src`` into ``root_dir`` and return the copy's name (never overwrites)."""
        if self.root_dir is None:
            raise RuntimeError("server not started")
        src = Path(src)
        dest = self.root_dir / src.name
        counter = 1
        while dest.exists():
            dest = self.root_dir / f"{src.stem}-{counter}{src.suffix}"
            counter += 1
        shutil.copyfile(src, dest)
        return dest.name

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the server and its kernels; wait until every one has exited.

        SIGTERM to the server's process group (the server then shuts its
        kernels down), SIGKILL after ``timeout`` s.  Kernels live in process
        groups of their own, so they are noted first and killed if they
        outlive the server.  Raises ``RuntimeError`` if anything survives.
        """
        try:
            if self.process is not None and self.process.returncode is None:
                self._terminate(timeout)
        finally:
            if self._log is not None:
                self._log.close()
                self._log = None
            if self._tmp is not None:
                self._tmp.cleanup()
                self._tmp = None

    def _terminate(self, timeout: float) -> None:
        pid = self.process.pid
        kernels = _child_pids(pid)
        os.killpg(pid, signal.SIGTERM)
        if not _exited_unreaped(pid, timeout):
            os.killpg(pid, signal.SIGKILL)
            _exited_unreaped(pid, timeout)
        _kill(pid, signal.SIGKILL)  # anything left in the server's group
        self.process.wait()
        for kernel in _wait_gone(kernels, timeout):
            _kill(kernel, signal.SIGKILL)
        survivors = _wait_gone(kernels + [pid], timeout)
        if survivors:
            raise RuntimeError(f"JupyterLab processes survived SIGKILL: {survivors}")


# --------------------------------------------------------------------------
# Page helpers for JupyterLab 4


def open_notebook(page, server: JupyterLabServer, name: str,
                  timeout: float = PAGE_LOAD_TIMEOUT_MS) -> None:
    """Open ``name`` (a path relative to ``server.root_dir``) and wait for an idle kernel.

    Each call uses a new, empty JupyterLab workspace, so documents opened
    earlier on the same server are not restored next to it; the notebook is
    the only panel.  Returns once every cell of the file is in the DOM and the
    kernel is idle.
    """
    cells = json.loads((server.root_dir / name).read_text(encoding="utf-8"))["cells"]
    workspace = "harness-" + secrets.token_hex(6)
    page.goto(
        f"{server.url}/lab/workspaces/{workspace}/tree/{quote(name)}?token={server.token}",
        wait_until="domcontentloaded",
        timeout=timeout,
    )
    page.locator(_NOTEBOOK).wait_for(state="visible", timeout=timeout)
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length === n",
        arg=[f"{_NOTEBOOK} .jp-Cell", len(cells)],
        timeout=timeout,
    )
    wait_kernel_idle(page, timeout=timeout)


def wait_kernel_idle(page, timeout: float = KERNEL_TIMEOUT_MS) -> None:
    """Wait until the visible notebook has a kernel and it is idle.

    Requires all of: ``.jp-Notebook-ExecutionIndicator[data-status="idle"]`` in
    the panel's toolbar, a real kernel name in ``.jp-KernelName`` (not
    "No Kernel"), and the status bar item ``"<kernel name> | Idle"``.
    """
    page.wait_for_function(_KERNEL_IDLE_JS, arg=_PANEL, timeout=timeout)


def _exactly(text: str) -> re.Pattern:
    return re.compile(f"^{re.escape(text)}$")


def _click_menu(page, menu: str, item: str) -> None:
    """Click ``menu`` in the main menu bar, then ``item`` in the menu it opens."""
    page.locator(".lm-MenuBar-itemLabel", has_text=_exactly(menu)).click()
    page.locator(".lm-Menu .lm-Menu-itemLabel", has_text=_exactly(item)).click()


def _wait_prompts(page, pattern: str, timeout: float) -> None:
    """Wait until there are code cells and every prompt matches ``pattern``."""
    page.wait_for_function(
        """([sel, pattern]) => {
            const prompts = [...document.querySelectorAll(sel)];
            const re = new RegExp(pattern);
            return prompts.length > 0 && prompts.every(p => re.test(p.textContent.trim()));
        }""",
        arg=[_PROMPTS, pattern],
        timeout=timeout,
    )


def run_all_cells(page, timeout: float = RUN_TIMEOUT_MS) -> None:
    """Run every cell of the visible notebook and wait until all have finished.

    First "Edit > Clear Outputs of All Cells" empties every execution count, so
    that a filled count afterwards can only come from this run; then
    "Run > Run All Cells"; then wait for a ``[n]:`` prompt on every code cell
    and an idle kernel.  Expects the notebook to contain a code cell and to have
    been opened with :func:`open_notebook` (which guarantees all cells are in
    the DOM).
    """
    _click_menu(page, "Edit", "Clear Outputs of All Cells")
    _wait_prompts(page, r"^\[ ?\]:$", timeout)
    _click_menu(page, "Run", "Run All Cells")
    _wait_prompts(page, r"^\[\d+\]:$", timeout)
    wait_kernel_idle(page, timeout=timeout)


def cell_outputs_text(page) -> list[str]:
    """Visible text of each code cell's output area in the visible notebook, in order."""
    return page.locator(f"{_NOTEBOOK} .jp-CodeCell .jp-Cell-outputArea").all_inner_texts()


def record_requests(page) -> list[str]:
    """Start logging the URL of every request ``page`` makes; returns the live list."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls
