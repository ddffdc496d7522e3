"""The click command: formats, exit codes, selection, config, target; and a real subprocess."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from lastword._check.command import check

WRONG = textwrap.dedent(
    """\
    import asyncio
    import threading

    import functions_framework


    async def send():
        ...


    @functions_framework.http
    def handler(request):
        threading.Thread(target=print).start()
        send()
        return "ok"
    """
)
RIGHT = textwrap.dedent(
    """\
    import functions_framework


    @functions_framework.http
    def handler(request):
        return "ok"
    """
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "main.py").write_text(WRONG)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(check, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


def run_stderr(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(check, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_findings_exit_1_text(project: Path) -> None:
    code, out = run(".")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("main.py:13:5: LW104 ")
    assert lines[1].startswith("main.py:14:5: LW401 ")


def test_default_path_is_cwd(project: Path) -> None:
    assert run()[0] == 1


def test_clean_exit_0(project: Path) -> None:
    (project / "main.py").write_text(RIGHT)
    assert run(".") == (0, "All checks passed: 1 function checked (main.py: handler).\n")


def test_usage_errors_exit_2(project: Path) -> None:
    assert run("does-not-exist")[0] == 2
    assert run_stderr("--format", "xml")[0] == 2
    assert run("--select", "XX1")[0] == 2
    code, out, err = run_stderr("--target", "nope")
    assert code == 2 and "nope" in err


def test_select_and_ignore(project: Path) -> None:
    code, out = run("--select", "LW4", "--format", "json")
    assert code == 1 and [f["code"] for f in json.loads(out)] == ["LW401"]
    code, out = run("--ignore", "LW104,LW401")
    assert code == 0


def test_pyproject_config(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.lastword.check]\nignore = ["LW104"]\n')
    code, out = run("--format", "json")
    assert [f["code"] for f in json.loads(out)] == ["LW401"]
    code, out = run("--format", "json", "--select", "LW1")
    assert code == 0  # LW104 is selected on the command line but ignored in pyproject
    (project / "pyproject.toml").write_text('[tool.lastword.check]\nselect = ["LW999"]\n')
    assert run()[0] == 2
    (project / "pyproject.toml").write_text("[tool.lastword.check\n")
    assert run()[0] == 2


def test_explicit_config_file(project: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "other.toml"
    cfg.write_text('[tool.lastword.check]\nselect = ["LW104"]\n')
    code, out = run("--config", str(cfg), "--format", "json")
    assert [f["code"] for f in json.loads(out)] == ["LW104"]


def test_noqa(project: Path) -> None:
    text = WRONG.replace(".start()", ".start()  # noqa: LW104").replace("send()\n", "send()  # noqa\n")
    (project / "main.py").write_text(text)
    assert run()[0] == 0
    (project / "main.py").write_text(WRONG.replace(".start()", ".start()  # noqa: LW101"))
    assert "LW104" in run()[1]


def test_target_selects_an_unregistered_function(project: Path) -> None:
    (project / "main.py").write_text(
        "import threading\n\ndef job(payload):\n    threading.Thread(target=print).start()\n"
        "    return 'ok'\n"
    )
    (project / "other.py").write_text("import functions_framework\n")
    assert run()[0] == 0  # `payload` is not an HTTP/event shape
    code, out = run("--target", "job")
    assert code == 1 and "LW104" in out


def test_syntax_error_is_a_finding(project: Path) -> None:
    (project / "broken.py").write_text("def f(:\n    pass\n")
    (project / "main.py").write_text(RIGHT)
    code, out = run("--format", "json")
    data = json.loads(out)
    assert code == 1
    assert [(f["path"], f["code"], f["line"]) for f in data] == [("broken.py", "LW001", 1)]


def test_null_bytes_and_bad_encoding_do_not_crash(project: Path) -> None:
    (project / "nul.py").write_bytes(b"x = 1\x00\n")
    (project / "latin.py").write_bytes(b"# -*- coding: latin-1 -*-\nname = '\xe9'\n")
    code, out = run("--format", "json", "--select", "LW001")
    assert {f["path"] for f in json.loads(out)} == {"nul.py"}


def test_formats(project: Path) -> None:
    code, out = run("--format", "sarif")
    assert code == 1 and json.loads(out)["version"] == "2.1.0"
    code, out = run("--format", "github")
    assert out.startswith("::error file=main.py,line=13,col=5,")


def test_real_subprocess(project: Path, python: str) -> None:
    proc = subprocess.run(
        [python, "-m", "lastword._check", "--format", "json", "."],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    assert {f["code"] for f in json.loads(proc.stdout)} == {"LW104", "LW401"}
    proc = subprocess.run(
        [python, "-m", "lastword._check", "--format", "bogus"], capture_output=True, timeout=60
    )
    assert proc.returncode == 2


def test_command_import_is_light(python: str) -> None:
    code = (
        "import sys; import lastword._check.command as c; "
        "bad = [m for m in sys.modules if m.startswith('lastword._check.') "
        "and m not in ('lastword._check.command',)]; "
        "assert c.check.name == 'check'; print(bad)"
    )
    proc = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


MIXED = textwrap.dedent(
    """\
    import threading

    import functions_framework


    def slow(n):
        ...


    @functions_framework.http
    def api(request):
        return handle(request)


    def handle(request):
        return "ok"


    def report(request):
        threading.Thread(target=slow, args=(1,)).start()
        return "started"


    def ping(request):
        print("pong")
    """
)


def test_a_file_that_mixes_styles_is_checked_whole(project: Path) -> None:
    """One decorated function and undecorated HTTP-shaped ones: all served, all checked."""
    (project / "main.py").write_text(MIXED)
    code, out = run(".")
    assert code == 1
    assert out.splitlines() == [
        "main.py:20:5: LW104 thread `threading.Thread(target=slow, args=(1,))` is not joined "
        "before the function returns; after the response the CPU is taken away, so it may be "
        "frozen mid-way and never finish: call .join() on it on every path before returning "
        "(or cancel the timer)",
        "main.py:24:1: LW302 HTTP function `ping` has no return statement, so it returns None "
        "instead of a response; the request fails with a 500 error: return a response (body, "
        "status) on every path",
        "Not checked as a function the platform calls: main.py:15 handle (shaped like an HTTP "
        "function, but your code uses it at main.py:12, so it is checked as a helper of the "
        "functions that call it).",
        "Found 2 findings in 3 functions checked (main.py: api, report, ping).",
    ]


def test_nothing_checked_is_never_all_passed(project: Path) -> None:
    (project / "main.py").write_text("def util(x):\n    return x\n")
    code, out = run(".")
    assert code == 0
    assert "passed" not in out
    assert out.startswith("No function was checked in 1 file: ")
    code, out, err = run_stderr("--format", "json", ".")
    assert (code, out) == (0, "[]\n")
    assert err.startswith("lastword check: No function was checked in 1 file")
    code, out = run("--format", "github", ".")
    assert out.startswith("::warning title=lastword check::No function was checked")


def test_calls_from_tests_do_not_turn_a_function_into_a_helper(project: Path) -> None:
    (project / "main.py").write_text(
        "import threading\n\n\ndef handler(request):\n"
        "    threading.Thread(target=print).start()\n    return 'ok'\n"
    )
    (project / "tests").mkdir()
    (project / "tests" / "test_main.py").write_text(
        "from main import handler\n\n\ndef test_it():\n    assert handler(None) == 'ok'\n"
    )
    code, out = run(".")
    assert code == 1
    assert out.splitlines()[0].startswith("main.py:5:5: LW104 ")
    assert out.splitlines()[-1] == "Found 1 finding in 1 function checked (main.py: handler)."


def test_sarif_says_how_many_functions_were_checked(project: Path) -> None:
    import jsonschema

    (project / "main.py").write_text(MIXED)
    code, out = run("--format", "sarif", ".")
    log = json.loads(out)
    schema = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    props = log["runs"][0]["properties"]
    assert props["functionsChecked"] == 3
    assert [f["name"] for f in props["functions"]] == ["api", "report", "ping"]
    assert [f["foundBy"] for f in props["functions"]] == ["declared", "shaped", "shaped"]
    assert props["notChecked"][0]["name"] == "handle"


SLOW_HOOK = textwrap.dedent(
    """\
    import functions_framework
    import requests
    from flask import after_this_request


    @functions_framework.http
    def checkout(request):
        cart = request.get_json()

        @after_this_request
        def notify(response):
            requests.post("https://warehouse.internal/reserve", json=cart, timeout=10)
            return response

        return {"status": "ok"}
    """
)


def test_after_this_request_slow_work_is_an_opt_in_hint(project: Path) -> None:
    (project / "main.py").write_text(SLOW_HOOK)
    assert run(".") == (0, "All checks passed: 1 function checked (main.py: checkout).\n")
    assert run("--select", "LW2", ".")[0] == 0  # a prefix does not turn a hint on
    code, out = run("--select", "LW203", ".")
    assert code == 1
    assert out.startswith("main.py:10:6: LW203 after_this_request callback `notify` does ")
    code, out = run("--select", "ALL", "--format", "github", ".")
    assert out.startswith("::notice file=main.py,line=10,col=6,title=LW203 ")
    (project / "pyproject.toml").write_text('[tool.lastword.check]\nselect = ["LW203"]\n')
    assert run(".")[0] == 1


def test_text_summary_in_a_real_subprocess(project: Path, python: str) -> None:
    (project / "main.py").write_text(MIXED)
    proc = subprocess.run(
        [python, "-m", "lastword", "check", "."], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[-1] == (
        "Found 2 findings in 3 functions checked (main.py: api, report, ping)."
    )
