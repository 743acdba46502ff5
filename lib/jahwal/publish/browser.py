"""Headless Chromium for the book: installation check, a local web server and a driver.

The browser tests, the PDF printer and the screenshots use the Debian packages
``chromium`` and ``chromium-driver``. ``python -m jahwal.publish.browser ensure`` installs
them with ``apt-get`` when they are missing and the command runs as root;
otherwise it says what to install and exits with a non-zero status.

Chromium always starts with the flags in :data:`HEADLESS_FLAGS` and a fresh
profile folder (``--user-data-dir``) that is removed afterwards, so runs do not
share state and make no network calls of their own.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from jahwal.errors import JahwalError

#: Debian packages that provide the browser and its WebDriver
PACKAGES = ("chromium", "chromium-driver")
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DRIVER_NAMES = ("chromedriver",)
#: environment variables that point at a particular browser or driver binary
CHROMIUM_ENV = "JAHWAL_CHROMIUM"
DRIVER_ENV = "JAHWAL_CHROMEDRIVER"
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
)


class BrowserError(JahwalError):
    """Chromium or its driver is missing and could not be installed."""

    exit_code = 4


# ---------------------------------------------------------------- finding
def _which(names: Sequence[str], env: str) -> str | None:
    override = os.environ.get(env)
    if override:
        return override if Path(override).is_file() else None
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def find_chromium() -> str | None:
    """Path of the Chromium binary (``$JAHWAL_CHROMIUM`` first), or ``None``."""
    return _which(CHROMIUM_NAMES, CHROMIUM_ENV)


def find_chromedriver() -> str | None:
    """Path of ``chromedriver`` (``$JAHWAL_CHROMEDRIVER`` first), or ``None``."""
    return _which(DRIVER_NAMES, DRIVER_ENV)


def missing_packages() -> list[str]:
    """The Debian packages still needed: a subset of :data:`PACKAGES`."""
    missing = []
    if find_chromium() is None:
        missing.append("chromium")
    if find_chromedriver() is None:
        missing.append("chromium-driver")
    return missing


def install_hint(packages: Sequence[str]) -> str:
    """The bilingual message shown when the browser cannot be installed here.

    Examples
    --------
    >>> print(install_hint(["chromium"]).splitlines()[0])
    Chromium(헤드리스 브라우저)이 없습니다: chromium / Chromium is missing: chromium
    """
    pkgs = " ".join(packages)
    return (
        f"Chromium(헤드리스 브라우저)이 없습니다: {pkgs} / Chromium is missing: {pkgs}\n"
        f"관리자(root) 권한으로 설치하세요 / install it as root:\n"
        f"  apt-get update && apt-get install -y --no-install-recommends {pkgs}\n"
        f"다른 위치의 브라우저는 {CHROMIUM_ENV}, {DRIVER_ENV} 환경 변수로 지정합니다 / "
        f"point {CHROMIUM_ENV} and {DRIVER_ENV} at binaries elsewhere."
    )


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def install(
    packages: Sequence[str],
    run: Callable[..., Any] = subprocess.run,
    echo: Callable[[str], None] = print,
) -> None:
    """Install Debian packages with apt-get (root only).

    Raises
    ------
    BrowserError
        Not root, no apt-get, or apt-get failed.
    """
    if not packages:
        return
    if not _is_root() or shutil.which("apt-get") is None:
        raise BrowserError(install_hint(packages))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    echo(f"설치 중 / installing: {' '.join(packages)}")
    for cmd in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
    ):
        proc = run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout or "").splitlines()[-15:])
            raise BrowserError(
                f"apt-get이 실패했습니다({' '.join(cmd[:2])}, 종료 코드 {proc.returncode}) / "
                f"apt-get failed ({' '.join(cmd[:2])}, exit {proc.returncode}):\n{tail}\n\n" + install_hint(packages)
            )


def ensure(allow_install: bool = True, echo: Callable[[str], None] = print) -> tuple[str, str]:
    """Return the paths of Chromium and chromedriver, installing them if needed.

    Raises
    ------
    BrowserError
        A binary is missing and cannot be installed here (not root, no apt-get,
        ``allow_install=False``) or the installation failed.
    """
    missing = missing_packages()
    if missing:
        if not allow_install:
            raise BrowserError(install_hint(missing))
        install(missing, echo=echo)
        still = missing_packages()
        if still:
            raise BrowserError(
                f"설치 후에도 찾지 못했습니다 / still not found after installing: {' '.join(still)}\n"
                + install_hint(still)
            )
    return find_chromium(), find_chromedriver()  # type: ignore[return-value]


def version(chromium: str | None = None) -> str:
    """The browser's version string, e.g. ``Chromium 150.0.7871.100``."""
    exe = chromium or find_chromium()
    if exe is None:
        raise BrowserError(install_hint(["chromium"]))
    proc = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60)
    return proc.stdout.strip()


# ---------------------------------------------------------------- running
def chromium_args(user_data_dir: str | Path, extra: Sequence[str] = ()) -> list[str]:
    """Command-line flags for a headless run with its own profile folder.

    Examples
    --------
    >>> args = chromium_args("/tmp/profile", ["--window-size=800,600"])
    >>> args[0], args[-2:]
    ('--headless', ['--user-data-dir=/tmp/profile', '--window-size=800,600'])
    """
    return [*HEADLESS_FLAGS, f"--user-data-dir={user_data_dir}", *extra]


@contextlib.contextmanager
def fresh_profile() -> Iterator[Path]:
    """A temporary ``--user-data-dir``, removed on exit."""
    folder = Path(tempfile.mkdtemp(prefix="jahwal-chromium-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_headless(args: Sequence[str], timeout: float = 120) -> subprocess.CompletedProcess:
    """Run Chromium once with :data:`HEADLESS_FLAGS`, a fresh profile and ``args``."""
    exe = find_chromium()
    if exe is None:
        raise BrowserError(install_hint(["chromium"]))
    with fresh_profile() as profile:
        return subprocess.run([exe, *chromium_args(profile, args)], capture_output=True, text=True, timeout=timeout)


@contextlib.contextmanager
def webdriver(width: int = 1280, height: int = 900, console: bool = True) -> Iterator[Any]:
    """A Selenium driver for headless Chromium (fresh profile, console log kept).

    With ``console=True`` the browser's console messages can be read with
    ``driver.get_log("browser")``.
    """
    try:
        from selenium import webdriver as wd
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:  # pragma: no cover - selenium is a dependency
        raise BrowserError(
            "selenium이 설치되지 않았습니다 / selenium is not installed: pip install 'selenium>=4.20'"
        ) from exc
    chromium, driver_path = ensure(allow_install=False)
    with fresh_profile() as profile:
        opts = wd.ChromeOptions()
        opts.binary_location = chromium
        for arg in chromium_args(profile, [f"--window-size={width},{height}", "--lang=ko-KR"]):
            opts.add_argument(arg)
        if console:
            opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = wd.Chrome(service=Service(executable_path=driver_path), options=opts)
        try:
            driver.set_page_load_timeout(60)
            yield driver
        finally:
            driver.quit()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@contextlib.contextmanager
def serve(folder: str | Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1 (a free port); yield the base URL.

    Pages are loaded over HTTP rather than ``file://`` so that the search page,
    fonts and scripts behave as on a web server.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise BrowserError(f"폴더가 없습니다 / no such folder: {folder}")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# ---------------------------------------------------------------- accessibility
#: the impacts of axe-core violations that the book does not accept
AXE_IMPACTS = ("serious", "critical")

AXE_RUN_JS = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
  .then((r) => done(r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => [n.target.join(' '), (n.failureSummary || '').split('\\n').slice(1, 3).join(' ')]),
    count: v.nodes.length,
  }))))
  .catch((e) => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: [], count: 0}]));
"""


def axe_source() -> str:
    """The axe-core script shipped inside the ``selenium-axe-python`` wheel (no download at run time).

    Raises
    ------
    BrowserError
        The package is not installed.
    """
    import importlib.util

    spec = importlib.util.find_spec("selenium_axe_python")
    path = Path(spec.origin).parent / "axe-core" / "axe.min.js" if spec and spec.origin else None
    if path is None or not path.is_file():
        raise BrowserError("axe-core가 없습니다 / axe-core is missing: pip install 'selenium-axe-python>=2.2,<3'")
    return path.read_text(encoding="utf-8")


def axe_violations(driver: Any, impacts: Sequence[str] = AXE_IMPACTS, timeout: float = 120) -> list[dict[str, Any]]:
    """Run axe-core on the page loaded in ``driver``; return the violations of the given impacts.

    Each violation is a dict with ``id``, ``impact``, ``help``, ``count`` and
    up to five ``nodes`` (CSS selector, what to fix).
    """
    driver.set_script_timeout(timeout)
    if not driver.execute_script("return typeof axe !== 'undefined';"):
        driver.execute_script(axe_source())
    found = driver.execute_async_script(AXE_RUN_JS)
    return [v for v in found if v.get("impact") in impacts]


# ---------------------------------------------------------------- command
def main(argv: list[str] | None = None) -> int:
    """``python -m jahwal.publish.browser ensure|check``."""
    p = argparse.ArgumentParser(
        prog="python -m jahwal.publish.browser", description="헤드리스 Chromium 준비 / headless Chromium"
    )
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("ensure", help="없으면 apt-get으로 설치 / install with apt-get when missing (root)")
    sub.add_parser("check", help="설치 여부만 확인 / only check")
    args = p.parse_args(argv)
    try:
        chromium, driver = ensure(allow_install=args.command == "ensure")
    except BrowserError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    print(f"Chromium 준비됨 / ready: {chromium} ({version(chromium)}); chromedriver: {driver}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
