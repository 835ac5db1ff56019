"""kehu (客户): a command-line CRM for B2B key-account selling.

The version, and the Python API's entry: `kehu.open_book(path_or_url)` (see kehu.book.api),
imported on first use, so that `import kehu` and `kehu --version` load no database stack.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a tenth of `import kehu`)
if TYPE_CHECKING:
    from kehu.book.api import Book, open_book

__version__ = "0.1.0"
__all__ = ["Book", "__version__", "open_book"]


def __getattr__(name: str) -> object:
    if name in ("open_book", "Book"):
        from kehu.book import api

        return getattr(api, name)
    raise AttributeError(f"module 'kehu' has no attribute {name!r}")
