"""A process left running by a child that exited (``sh -c "cmd &"``): the child's work is over,
the grandchild's is not. On Linux lastword adopts such orphans (child subreaper) and reports them as
the invocation's leftovers, at the line that ran the child."""

from __future__ import annotations

import sys
import time
from typing import Any

import pytest

from .conftest import APPS, line_of

APP = APPS / "lc_processes.py"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux subreaper")


@pytest.mark.parametrize("function", ["shell_background", "shell_nohup"])
def test_a_process_left_behind_by_a_shell_is_a_leftover(client: Any, function: str) -> None:
    result = client(APP, function, background="error").get("/")
    assert result.status == 500
    assert result.report is not None and result.report.outcome == "left-work"
    (work,) = result.report.leftovers
    assert work.kind == "child process"
    assert "left running by" in work.description and "subprocess.Popen" in work.description
    assert work.site == f"{APP}:{line_of(APP, function, 'subprocess.run(')}"


@pytest.mark.parametrize("function", ["shell_foreground", "shell_background_waited"])
def test_a_shell_that_waits_for_its_commands_is_clean(client: Any, function: str) -> None:
    served = client(APP, function, background="error")
    for _ in range(2):
        result = served.get("/")
        assert (result.status, result.text) == (200, "done"), result.report
        assert result.report is not None and result.report.clean


def test_an_adopted_process_is_reaped_when_it_ends(client: Any) -> None:
    """The orphan is this process's child now: once it ends it is reaped, not left a zombie."""
    import os

    result = client(APP, "shell_background").get("/")
    (work,) = result.report.leftovers
    pid = int(work.description.split("(pid ")[1].split(")")[0])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as file:
                state = file.read().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            break  # ended and reaped
        assert state != "Z" or time.monotonic() < deadline - 4, "left a zombie"
        time.sleep(0.05)
    else:
        raise AssertionError(f"pid {pid} still exists")
    assert not os.path.exists(f"/proc/{pid}")
