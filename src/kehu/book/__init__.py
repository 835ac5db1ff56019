"""The use cases: what kehu does with a book, whoever asks (a command, an import, Python code).

Each use case takes the store (or, inside a transaction someone else holds, a connection) and
`today`/`now`/the due-date shift, decides, writes in one transaction, and returns plain results
(dataclasses, dicts). Nothing here parses command lines or prints; every failure a user can
cause is a KehuError. A write rule exists once: `kehu log` is a batch of one of what
`kehu import touches` does (book.touches.record_touches).

`kehu.open_book()` (book.api) is the Python API over the same functions.
"""
