"""kehu (客户): a command-line CRM for B2B key-account selling.

Only the version lives here: `kehu --version` must not import the database stack.
"""

__version__ = "0.1.0"
