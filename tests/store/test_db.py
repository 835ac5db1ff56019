"""The store: creation, migrations, refusing foreign and newer files untouched, location.

Busy, permissions, full disks and crashes: tests/faults/.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from kehu.store.models import metadata
from kehu.store.schema import HEAD_REVISION, KNOWN_REVISIONS

MIGRATIONS = Path(__file__).parents[2] / "src" / "kehu" / "store" / "migrations"


def test_known_revisions_match_the_alembic_scripts():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert tuple(revisions) == KNOWN_REVISIONS
    assert script.get_current_head() == HEAD_REVISION


def test_a_new_file_migrates_to_exactly_the_models_schema(kehu, db_path):
    assert kehu("info").exit_code == 0
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == HEAD_REVISION
        assert compare_metadata(context, metadata) == []
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_an_empty_file_is_initialised(kehu, db_path):
    db_path.write_bytes(b"")
    assert kehu("add", "甲公司").exit_code == 0
    assert kehu("list", "--format", "csv", "--columns", "name").stdout == "name\n甲公司\n"


def _snapshot(path: Path) -> tuple[bytes, float, set[str]]:
    return path.read_bytes(), path.stat().st_mtime, {p.name for p in path.parent.iterdir()}


def test_a_file_from_a_newer_kehu_is_refused_untouched(kehu, kehu_process, db_path):
    assert kehu("add", "甲公司").exit_code == 0
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    before = _snapshot(db_path)
    result = kehu_process("list")
    assert result.returncode == 78
    assert b"newer kehu" in result.stderr and b"Traceback" not in result.stderr
    assert _snapshot(db_path) == before


def test_a_sqlite_file_of_another_program_is_refused_untouched(kehu_process, db_path):
    with sqlite3.connect(db_path) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    connection.close()
    before = _snapshot(db_path)
    result = kehu_process("add", "甲公司")
    assert result.returncode == 78
    assert b"not a kehu database" in result.stderr
    assert _snapshot(db_path) == before


def test_a_file_that_is_not_sqlite_is_refused_untouched(kehu_process, db_path):
    db_path.write_bytes(b"name,grade\n\xe7\x94\xb2,A\n" * 100)
    before = _snapshot(db_path)
    result = kehu_process("info")
    assert result.returncode == 78
    assert b"not a kehu database" in result.stderr and b"Traceback" not in result.stderr
    assert _snapshot(db_path) == before


def _info(kehu_process, *args: str, env: dict | None = None) -> dict:
    result = kehu_process(*args, "info", "--format", "json", env=env, db=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)[0]


def test_location_precedence_db_option_env_config_default(kehu_process, tmp_path):
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'db = "{tmp_path / "from-config.db"}"\n')
    env_db = str(tmp_path / "from-env.db")
    option_db = str(tmp_path / "from-option.db")

    chosen = _info(kehu_process, "--db", option_db, env={"KEHU_DB": env_db})
    assert (chosen["database"], chosen["reason"]) == (option_db, "option")
    chosen = _info(kehu_process, env={"KEHU_DB": env_db})
    assert (chosen["database"], chosen["reason"]) == (env_db, "environment")
    chosen = _info(kehu_process)
    assert chosen["database"] == str(tmp_path / "from-config.db")
    assert (chosen["reason"], chosen["config"]) == ("config", str(config))
    config.unlink()
    chosen = _info(kehu_process)
    assert chosen["database"] == str(tmp_path / "data" / "kehu" / "kehu.db")
    assert chosen["reason"] == "default"
    assert chosen["schema"] == HEAD_REVISION


def test_a_broken_config_file_exits_78(kehu_process, tmp_path):
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("db = [unclosed\n")
    result = kehu_process("info", db=False)
    assert result.returncode == 78
    assert b"bad config file" in result.stderr


def test_a_sqlalchemy_url_in_kehu_db_is_used(kehu_process, tmp_path):
    path = tmp_path / "url.db"
    chosen = _info(kehu_process, env={"KEHU_DB": f"sqlite:///{path}"})
    assert chosen["database"] == str(path)
    assert path.exists()
