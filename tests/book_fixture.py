"""Shared, session-wide fixtures: one real book built from a copy of the repository, and Chromium.

Use from a test module with::

    from book_fixture import built_book, browser, book_server  # noqa: F401  (pytest fixtures)

``built_book`` copies the project (the files git would commit: tracked files and
untracked files that are not ignored) into a temporary folder, writes the
default study file there as ``params/test-book.yml`` (the 2023 study as it is,
so the test book is the default book and its tables can be compared with the
snapshot in ``tests/snapshot``) and runs the real ``jahwal build`` there (a child process importing the copy's ``lib``, see
:func:`run_build`) once per test session, whichever modules ask for it (the
result is cached in this module, so importing the fixture into several modules
still builds once). It returns ``BuiltBook(root, html)``; the build log is at
``root / "_build" / "build-log.json"``.

Set ``JAHWAL_TEST_BOOK`` to the root of an earlier built copy to reuse it
(handy when working on the browser tests; the path is printed at the start).

Chromium: without it the browser tests fail with a message in CI (``CI`` set)
and are skipped elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator, NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
PARAMS = ROOT / "params" / "report-2023.yml"
SCREENSHOTS = ROOT / "_build" / "screenshots"
LOG_COPY = "test-book-build-log.json"


class BuiltBook(NamedTuple):
    root: Path  # project root of the built copy
    html: Path  # its _build/html


_CACHE: dict[str, Any] = {}


def project_files(root: Path = ROOT) -> list[str]:
    """Files git would commit: tracked and untracked-but-not-ignored, that exist."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sorted({f for f in out.split("\0") if f and (root / f).is_file()})


def copy_project(target: Path, root: Path = ROOT) -> Path:
    """Copy the project files into ``target`` (created)."""
    for rel in project_files(root):
        dst = target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, dst)
    return target


def book_params(root: Path) -> Path:
    """The default study file, copied as ``params/test-book.yml`` (the name the tests use)."""
    path = root / "params" / "test-book.yml"
    path.write_bytes(PARAMS.read_bytes())
    return path


def run_build(root: Path, params: Path, timeout: float = 1200) -> subprocess.CompletedProcess:
    """``jahwal build`` in a child process that imports the *copy's* library.

    ``PYTHONPATH`` puts ``root/lib`` before the editable install, so the build,
    its notebook kernels and the Sphinx extension all use the snapshot taken by
    :func:`copy_project`; edits made meanwhile in the working tree (or another
    engineer's) neither change nor invalidate the test book.
    """
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root / "lib"), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    }
    jobs = str(max(1, min(2, os.cpu_count() or 1)))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "jahwal.cli",
            "build",
            "--params",
            str(params),
            "--root",
            str(root),
            "--jobs",
            jobs,
            "--quiet",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def build_book(target: Path) -> BuiltBook:
    """Copy the project to ``target`` and build the default study there (raises on failure)."""
    copy_project(target)
    params = book_params(target)
    proc = run_build(target, params)
    if proc.returncode != 0:
        raise RuntimeError(f"jahwal build exit {proc.returncode}:\n{proc.stderr[-4000:]}\n{proc.stdout[-2000:]}")
    return BuiltBook(target, target / "_build" / "html")


def _built(tmp_path_factory: pytest.TempPathFactory) -> BuiltBook:
    if "book" in _CACHE:
        return _CACHE["book"]
    if "error" in _CACHE:
        pytest.fail(_CACHE["error"], pytrace=False)
    reuse = os.environ.get("JAHWAL_TEST_BOOK")
    if reuse:
        root = Path(reuse)
        if not (root / "_build" / "html" / "index.html").is_file():
            pytest.fail(f"JAHWAL_TEST_BOOK={reuse}: 만들어진 책이 없습니다 / no built book there", pytrace=False)
        log = root / "_build" / "build-log.json"
        if not (root / "_build" / LOG_COPY).is_file() and log.is_file():
            shutil.copy2(log, root / "_build" / LOG_COPY)
        _CACHE["book"] = BuiltBook(root, root / "_build" / "html")
        return _CACHE["book"]
    target = tmp_path_factory.mktemp("book")
    t0 = time.perf_counter()
    sys.stderr.write(f"\n[book_fixture] 시험용 책 만들기 / building the test book in {target}\n")
    try:
        book = build_book(target)
    except Exception as exc:  # noqa: BLE001 - every failure is reported the same way
        _CACHE["error"] = f"시험용 책을 만들지 못했습니다 / the test book failed to build ({target}):\n{exc}"
        pytest.fail(_CACHE["error"], pytrace=False)
    sys.stderr.write(f"[book_fixture] {time.perf_counter() - t0:.0f}초 / s\n")
    # keep the log of this build: a later (failing) build in a test overwrites build-log.json
    shutil.copy2(target / "_build" / "build-log.json", target / "_build" / LOG_COPY)
    _CACHE["book"] = book
    return book


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> BuiltBook:
    """The real book built once per session from a copy of the repository (small extract)."""
    return _built(tmp_path_factory)


def build_log(book: BuiltBook) -> dict[str, Any]:
    """The log of the fixture's build (not of later builds run by tests in the same copy)."""
    path = book.root / "_build" / LOG_COPY
    if not path.is_file():
        path = book.root / "_build" / "build-log.json"
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- browser
def require_browser() -> tuple[str, str]:
    """Chromium and chromedriver paths; fail in CI, skip elsewhere, when missing."""
    from jahwal.publish.browser import BrowserError, ensure

    try:
        return ensure(allow_install=False)
    except BrowserError as exc:
        msg = (
            "헤드리스 Chromium이 없어 브라우저 시험을 할 수 없습니다 / headless Chromium is missing, "
            "the browser tests cannot run. `python -m jahwal.publish.browser ensure` (root) 로 설치하세요 / installs it.\n"
            + str(exc)
        )
        if os.environ.get("CI"):
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    raise AssertionError  # pragma: no cover


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium (Selenium) for one test module; console messages are kept."""
    require_browser()
    from jahwal.publish.browser import webdriver

    with webdriver(width=1280, height=900) as driver:
        yield driver


@pytest.fixture(scope="module")
def book_server(built_book: BuiltBook) -> Iterator[str]:
    """Base URL of the built book served over HTTP on 127.0.0.1."""
    from jahwal.publish.browser import serve

    with serve(built_book.html) as base:
        yield base


def wait_for_fonts(driver: Any) -> None:
    driver.set_script_timeout(30)
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; document.fonts.ready.then(() => done(true));"
    )


def search(driver: Any, base: str, query: str, timeout: float = 20) -> list[str]:
    """Run ``query`` on the search page; return the result page paths (e.g. ``notebooks/31_x.html``)."""
    from urllib.parse import quote, urlparse

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{base}search.html?q={quote(query)}")
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script(
            "const s = document.querySelector('#search-results p.search-summary');"
            "return s !== null && s.innerText.trim().length > 0;"
        )
    )
    out = []
    for a in driver.find_elements(By.CSS_SELECTOR, "#search-results ul.search li > a"):
        path = urlparse(a.get_attribute("href")).path.lstrip("/")
        if path not in out:
            out.append(path)
    return out


def severe_console(driver: Any) -> list[str]:
    """Console errors (level SEVERE) since the last call."""
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
