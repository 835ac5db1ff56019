"""README's "Python" section runs as written against the demo book that examples/demo.sh builds."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def readme_python_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    [code] = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    return code


@pytest.mark.sqlite_only
def test_the_readme_python_example_runs_as_written_on_the_demo_book(tmp_path: Path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns("demo.db*"))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("KEHU_TODAY", None)
    demo = str(tmp_path / "examples" / "demo.sh")
    built = subprocess.run([demo], cwd=tmp_path, env=env, capture_output=True, timeout=600)
    assert built.returncode == 0, built.stderr.decode()[-2000:]

    result = subprocess.run([sys.executable, "-c", readme_python_example()], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) >= 2 and lines[-1].endswith("next due 2026-11-25"), result.stdout  # 周三, as asked
    assert all(line.startswith("2026-11-") for line in lines[:-1]), result.stdout  # due by the week's end
