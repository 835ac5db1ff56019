"""Build hook: compile the gettext catalogues (.po → .mo) so the package ships them.

The .mo files are build artefacts (git ignores them); compiling here means a wheel, an sdist
install and an editable install (`pip install -e .`) all carry the same catalogues.
"""

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogues(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        locale_dir = Path(self.root) / "src" / "kehu" / "locale"
        for po_path in locale_dir.glob("*/LC_MESSAGES/*.po"):
            with po_path.open("rb") as po_file:
                catalogue = read_po(po_file)
            with po_path.with_suffix(".mo").open("wb") as mo_file:
                write_mo(mo_file, catalogue)
