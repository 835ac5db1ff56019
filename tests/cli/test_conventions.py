"""What every command promises: help with an example, formats, pipes, exit codes, no traceback."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kehu import __version__
from kehu.cli.app import COMMAND_MODULES as ROOT_COMMANDS
from kehu.cli.app import build_commands
from tests.conftest import TODAY

CLI = Path(__file__).parents[2] / "src" / "kehu" / "cli"
# What a command module may import from kehu.cli: the pieces every command shares.
SHARED = {"kehu.cli.common", "kehu.cli.params", "kehu.cli.context"}
WIRING = {"app.py", "entry.py", "__init__.py", "common.py", "params.py", "context.py", "localize.py"}


def _commands(commands: dict, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in commands.items():
        if hasattr(command, "commands"):  # a group: its commands have the help
            found += _commands(command.commands, prefix + (name,))
        else:
            found.append(prefix + (name,))
    return found


def _root_commands() -> dict:
    return {name: build_commands(module)[name] for name, module in ROOT_COMMANDS.items()}


COMMANDS = _commands(_root_commands())


def test_the_command_list_is_complete():
    assert {" ".join(c) for c in COMMANDS} >= {
        "add", "list", "show", "edit", "archive", "restore", "info", "contact add",
        "contact list", "contact edit", "contact archive", "import customers",
        "import contacts", "export customers", "export contacts",
    }  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(kehu, command):
    result = kehu(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout


def _cli_imports(path: Path) -> set[str]:
    """The kehu.cli modules a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == "kehu.cli":
            found |= {f"kehu.cli.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return {name for name in found if name.startswith("kehu.cli.")}


COMMAND_MODULES = sorted(path for path in CLI.glob("*.py") if path.name not in WIRING)


@pytest.mark.parametrize("path", COMMAND_MODULES, ids=lambda path: path.name)
def test_a_command_module_imports_no_other_and_registers_itself(path):
    """Shared parameters live in cli/params.py and cli/common.py, so no command module needs
    another (nor can two need each other); each adds its commands to the root one way."""
    assert _cli_imports(path) <= SHARED
    tree = ast.parse(path.read_text(encoding="utf-8"))
    register = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "register"]
    assert [len(f.args.args) for f in register] == [1], "def register(root: typer.Typer) -> None"


def test_every_command_module_is_wired_into_the_root():
    """The root finds a command's module by the table in app.py without importing the others:
    the table must name every module and exactly the commands each registers."""
    assert set(ROOT_COMMANDS.values()) == {path.stem for path in COMMAND_MODULES}
    for module in set(ROOT_COMMANDS.values()):
        assert set(build_commands(module)) == {name for name, m in ROOT_COMMANDS.items() if m == module}


ORM_STACK = {"sqlalchemy", "sqlmodel", "pydantic", "alembic"}


@pytest.mark.parametrize(
    ("command", "module"),
    [(("show", "甲公司"), "show"), (("add", "乙公司"), "customers"), (("list",), "customers"),
     (("log", "甲公司", "电话沟通"), "touches"), (("followups", "today"), "followups"),
     (("grade", "甲公司", "B"), "grades"), (("history", "甲公司"), "touches")],
    ids=lambda value: value if isinstance(value, str) else value[0],
)  # fmt: skip
def test_an_everyday_command_imports_no_orm_and_only_its_own_module(command, module, tmp_path):
    """SQL goes through the driver on the everyday paths (issue 13): SQLAlchemy, SQLModel,
    pydantic and Alembic cost more start-up than everything else a command does."""
    db = str(tmp_path / "book.db")

    def run(*arguments: str) -> subprocess.CompletedProcess:
        argv = [sys.executable, "-X", "importtime", "-m", "kehu", "--db", db, *arguments]
        env = {**os.environ, "KEHU_TODAY": TODAY}
        done = subprocess.run(argv, capture_output=True, timeout=60, env=env)
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        return done

    run("add", "甲公司")  # the file exists and is migrated: the command itself is measured
    loaded = {line.rsplit("|", 1)[-1].strip() for line in run(*command).stderr.decode().splitlines()}
    assert {name.split(".")[0] for name in loaded} & {
        "sqlalchemy",
        "sqlmodel",
        "pydantic",
        "alembic",
    } == set()
    assert {name for name in loaded if name.startswith("kehu.cli.")} - {
        "kehu.cli.app", "kehu.cli.entry", "kehu.cli.common", "kehu.cli.params", "kehu.cli.context",
        "kehu.cli.localize",
    } == {f"kehu.cli.{module}"}  # fmt: skip


def test_version_and_python_dash_m(kehu_process):
    result = kehu_process("--version", db=False)
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"kehu {__version__}"


def test_version_loads_no_command_and_no_database_stack():
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "kehu", "--version"],
                          capture_output=True, timeout=60)  # fmt: skip
    assert done.returncode == 0 and done.stdout.decode().strip() == f"kehu {__version__}"
    loaded = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.decode().splitlines()}
    assert not {"kehu.cli.app", "typer", "sqlalchemy", "rich"} & loaded


def test_version_among_other_options_goes_through_typer(kehu_process):
    result = kehu_process("--today", "2026-11-23", "--version", db=False)
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"kehu {__version__}"


def test_a_closed_pipe_ends_quietly(kehu, db_path, tmp_path):
    csv = "name\n" + "\n".join(f"客户{i:04d}" for i in range(3000)) + "\n"
    assert kehu("import", "customers", "-", input=csv.encode()).exit_code == 0
    pipeline = subprocess.run(
        f"{sys.executable} -m kehu --db {db_path} list --format csv | head -1",
        shell=True, capture_output=True, timeout=60, executable="/bin/bash",
    )  # fmt: skip
    assert pipeline.stdout.decode().startswith("id,name,")
    assert pipeline.stderr == b""


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "table"])
def test_every_format_prints_the_same_records(kehu, fmt):
    kehu("add", "甲公司", "--grade", "A")
    result = kehu("list", "--format", fmt)
    assert result.exit_code == 0
    assert "甲公司" in result.stdout


def test_piped_output_defaults_to_csv(kehu_process):
    kehu_process("add", "甲公司")
    result = kehu_process("list", "--columns", "name,grade")
    assert result.stdout.decode() == "name,grade\n甲公司,\n"


def test_usage_errors_exit_2_without_traceback(kehu_process):
    for args in (["show"], ["list", "--format", "xml"], ["--today", "13月40日", "list"], ["nosuch"]):
        result = kehu_process(*args)
        assert result.returncode == 2, args
        assert b"Traceback" not in result.stderr


def test_missing_input_file_exits_66(kehu_process, tmp_path):
    result = kehu_process("import", "customers", str(tmp_path / "nope.csv"))
    assert result.returncode == 66
    assert b"no such file" in result.stderr
