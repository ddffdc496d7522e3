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
    return result.exit_code, result.output


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
    assert run(".") == (0, "All checks passed!\n")


def test_usage_errors_exit_2(project: Path) -> None:
    assert run("does-not-exist")[0] == 2
    assert run("--format", "xml")[0] == 2
    assert run("--select", "XX1")[0] == 2
    code, out = run("--target", "nope")
    assert code == 2 and "nope" in out


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
