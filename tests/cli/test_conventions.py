"""What every command promises: help with an example, formats, pipes, exit codes, no traceback."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from kehu import __version__
from kehu.cli.app import app

CLI = Path(__file__).parents[2] / "src" / "kehu" / "cli"
# What a command module may import from kehu.cli: the pieces every command shares.
SHARED = {"kehu.cli.common", "kehu.cli.params", "kehu.cli.context"}
WIRING = {"app.py", "entry.py", "__init__.py", "common.py", "params.py", "context.py"}


def _commands(group: typer.Typer, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix + (c.name,) for c in group.registered_commands]
    for sub in group.registered_groups:
        found += _commands(sub.typer_instance, prefix + (sub.name,))
    return found


COMMANDS = _commands(app)


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
    assert {f"kehu.cli.{path.stem}" for path in COMMAND_MODULES} <= _cli_imports(CLI / "app.py")


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
