"""The generated Dockerfile passes hadolint with no warning, has the layers and settings asked
for, and ``lastword deploy container`` reads the source without importing it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lastword import Config
from lastword._deploy import DeployError
from lastword._deploy._dockerfile import USER_ID, dockerfile
from lastword._deploy._source import inspect

HELLO = "def hello(request):\n    return 'hi'\n"


def hadolint(text: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    path = tmp_path / "Dockerfile.lint"
    path.write_text(text)
    return subprocess.run([exe, "--no-color", str(path)], capture_output=True, text=True, timeout=60)


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "fn"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text))
    return folder


def _render(folder: Path, **flags: object) -> str:
    config = Config.build(flags={"source": str(folder / "main.py"), **flags})
    source = inspect(config)
    return dockerfile(config.replace(target=source.target, signature_type=source.signature_type), source)


def _instructions(text: str) -> list[str]:
    """Instruction lines, continuations joined, comments dropped."""
    joined = text.replace("\\\n", " ")
    return [line for line in joined.splitlines() if line and not line.startswith("#")]


VARIANTS = {
    "plain": {"main.py": HELLO},
    "requirements": {"main.py": HELLO, "requirements.txt": "requests==2.32.3\n"},
    "pyproject": {"main.py": HELLO, "pyproject.toml": '[project]\nname = "fn"\nversion = "1"\ndependencies = ["requests>=2"]\n'},
    "lists-lastword": {"main.py": HELLO, "requirements.txt": "lastword>=0.1\nrequests\n"},
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_hadolint_finds_nothing(variant: str, tmp_path: Path) -> None:
    folder = _folder(tmp_path, VARIANTS[variant])
    text = _render(folder, target="hello", concurrency=4, background="wait", memory="1Gi", port=9000)
    result = hadolint(text, tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", ""), text


def test_hadolint_is_really_checking(tmp_path: Path) -> None:
    result = hadolint("FROM python:3.12-slim\nRUN pip install flask\n", tmp_path)
    assert result.returncode != 0 and "DL3013" in result.stdout and "DL3042" in result.stdout


def test_layers_from_least_to_most_often_changed(tmp_path: Path) -> None:
    folder = _folder(tmp_path, VARIANTS["requirements"])
    lines = _instructions(_render(folder, target="hello"))
    assert lines[0].startswith("ARG PYTHON_IMAGE=python:3.") and lines[0].endswith("-slim")
    assert lines[1] == "FROM ${PYTHON_IMAGE}"
    order = [
        next(i for i, line in enumerate(lines) if line.startswith(prefix))
        for prefix in ('RUN pip install --no-cache-dir "lastword==', "COPY requirements.txt ./",
                       "RUN pip install --no-cache-dir -r requirements.txt", "COPY . .",
                       "RUN python -m compileall", "ENV FUNCTION_TARGET=hello", "USER", "ENTRYPOINT")
    ]
    assert order == sorted(order), lines
    assert "ENV PYTHONUNBUFFERED=1" in "\n".join(lines)
    assert lines[-3:] == [
        f"USER {USER_ID}:{USER_ID}",
        "EXPOSE 8080",
        'ENTRYPOINT ["lastword", "serve", "main.py", "--target", "hello", "--signature-type", "http"]',
    ]


def test_settings_are_baked_in_as_lastwords_variables(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"main.py": HELLO})
    text = _render(folder, target="hello", concurrency=4, timeout=30, background="wait", port=9000, debug=True)
    env_line = next(line for line in _instructions(text) if line.startswith("ENV FUNCTION_TARGET"))
    pairs = dict(item.split("=", 1) for item in env_line[len("ENV "):].split())
    assert pairs == {
        "FUNCTION_TARGET": "hello", "FUNCTION_SIGNATURE_TYPE": "http", "PORT": "9000",
        "LASTWORD_CONCURRENCY": "4", "LASTWORD_TIMEOUT": "30", "LASTWORD_GRACE": "10",
        "LASTWORD_CPU": "request", "LASTWORD_BACKGROUND": "wait", "DEBUG": "true",
    }
    assert Config.build(env=pairs).replace(source="main.py") == Config.build(
        flags={"target": "hello", "concurrency": 4, "timeout": 30, "background": "wait", "port": 9000, "debug": True}
    )
    assert "EXPOSE 9000" in text


def test_pyproject_dependencies_get_their_own_layer(tmp_path: Path) -> None:
    folder = _folder(tmp_path, VARIANTS["pyproject"])
    text = _render(folder, target="hello")
    assert "COPY pyproject.toml ./\nRUN lastword deploy requirements pyproject.toml > /tmp/requirements.txt" in text
    result = subprocess.run(
        [sys.executable, "-m", "lastword", "deploy", "requirements", "pyproject.toml"],
        capture_output=True, text=True, timeout=30, cwd=folder,
    )
    assert (result.returncode, result.stdout) == (0, "requests>=2\n"), result.stderr


def test_lastword_is_not_installed_twice(tmp_path: Path) -> None:
    assert "lastword==" not in _render(_folder(tmp_path, VARIANTS["lists-lastword"]), target="hello")


@pytest.mark.parametrize(
    ("source", "signature_type"),
    [
        ("import lastword\n\n@lastword.http\ndef f(request):\n    return ''\n", "http"),
        ("import lastword as lw\n\n@lw.cloud_event(background='wait')\ndef f(event):\n    pass\n", "cloudevent"),
        ("from functions_framework import cloud_event\n\n@cloud_event\ndef f(event):\n    pass\n", "cloudevent"),
        ("import functions_framework.aio\n\n@functions_framework.aio.http\nasync def f(request):\n    return ''\n", "http"),
        ("import functions_framework\n\n@functions_framework.typed\ndef f(payload):\n    return payload\n", "typed"),
    ],
)
def test_the_declared_function_and_type_are_found_without_importing(source: str, signature_type: str, tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"main.py": "raise SystemExit('imported!')\n" + source})
    found = inspect(Config(source=str(folder)))
    assert (found.target, found.signature_type, found.file) == ("f", signature_type, "main.py")


@pytest.mark.parametrize(
    ("files", "target", "message"),
    [
        ({"main.py": HELLO}, "helo", "--target 'helo' is not defined at the top level of .*main.py; it defines hello"),
        ({"main.py": HELLO + "def other(request):\n    pass\n"}, None, "which function should the image serve\\? Give --target NAME .* defines hello, other"),
        ({"main.py": "def hello(request:\n"}, "hello", r"main.py:1: '\(' was never closed: the image would not start"),
        ({"app.py": HELLO}, "hello", "source file .* not found"),
        ({"main.py": HELLO, "pyproject.toml": "[project\n"}, "hello", "pyproject.toml: cannot read it as TOML"),
    ],
)
def test_source_problems_are_explained(files: dict[str, str], target: str | None, message: str, tmp_path: Path) -> None:
    folder = _folder(tmp_path, files)
    with pytest.raises(DeployError, match=message):
        inspect(Config(source=str(folder / "main.py"), target=target))


def test_star_imports_and_assignments_count_as_definitions(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"main.py": "from handlers import *\n", "other.py": "from x import y as hello\n"})
    assert inspect(Config(source=str(folder / "main.py"), target="anything")).target == "anything"
    assert inspect(Config(source=str(folder / "other.py"), target="hello")).target == "hello"


def _container(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lastword", "deploy", "container", *args],
        capture_output=True, text=True, timeout=60, cwd=folder,
    )


def test_cli_writes_dockerfile_and_dockerignore(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"main.py": HELLO})
    result = _container(folder.parent, "fn/main.py", "--target", "hello", "--concurrency", "10")
    assert result.returncode == 0, result.stderr
    assert f"wrote {folder / 'Dockerfile'}" in result.stderr
    assert "docker build -t hello fn" in result.stderr
    text = (folder / "Dockerfile").read_text()
    assert "LASTWORD_CONCURRENCY=10" in text
    entry = next(line for line in text.splitlines() if line.startswith("ENTRYPOINT "))
    assert json.loads(entry[len("ENTRYPOINT "):])[:3] == ["lastword", "serve", "main.py"]
    ignored = (folder / ".dockerignore").read_text().splitlines()
    assert {".venv", ".git", "__pycache__", ".env"} <= set(ignored)
    again = _container(folder, "--target", "hello", "--concurrency", "12")  # ours: replaced
    assert again.returncode == 0 and "LASTWORD_CONCURRENCY=12" in (folder / "Dockerfile").read_text()
    assert "unchanged" in again.stderr  # the .dockerignore


def test_cli_keeps_a_dockerfile_it_did_not_write(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"main.py": HELLO, "Dockerfile": "FROM scratch\n"})
    refused = _container(folder, "--target", "hello")
    assert refused.returncode == 2
    assert "Dockerfile exists and was not written by lastword: pass --force" in refused.stderr
    assert (folder / "Dockerfile").read_text() == "FROM scratch\n"
    forced = _container(folder, "--target", "hello", "--force")
    assert forced.returncode == 0 and (folder / "Dockerfile").read_text().startswith("# Generated by lastword")


def test_cli_refuses_what_a_container_cannot_do(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"main.py": HELLO})
    result = _container(folder, "--target", "hello", "--host", "127.0.0.1")
    assert result.returncode == 2 and "would make the container unreachable" in result.stderr
    assert not (folder / "Dockerfile").exists()
