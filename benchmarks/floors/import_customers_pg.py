"""Floor of `kehu import customers FILE` into an empty PostgreSQL book (issue 7).

    python import_customers_pg.py URL CSV TODAY      (URL: postgresql://USER:PASS@HOST/DB, for psql)

import_customers.py's conversions, the same code imported from it (headers mapped, vocabulary
labels to codes, money to cents, dates to ISO, the unique name key, each new card due from
today in the first stage of the key-account funnel), the rows written as they are read, as
CSV, into the standard input of psql running `\\copy customer (…) FROM pstdin`: COPY, PostgreSQL's
bulk load, one statement and so one transaction, with no Python driver. Two processes, this one
and psql, work side by side. Like the SQLite floor: no pinyin, no validation beyond what the
conversions need, no check of the names already in the book (the book is empty). The moments
are written in UTC with their zone, as kehu stores them.
"""

import csv
import subprocess
import sys
from datetime import UTC, datetime

from import_customers import COLUMNS, converter

# An empty unquoted CSV field is NULL to COPY; the pinyin columns hold '' and may not be NULL.
COPY = (
    f"\\copy customer ({', '.join(COLUMNS)}) FROM pstdin "
    "WITH (FORMAT csv, FORCE_NOT_NULL (pinyin_full, pinyin_initials))"
)


def main() -> None:
    url, sheet, today = sys.argv[1:4]
    psql = subprocess.Popen(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-c", COPY, url], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, encoding="utf-8")  # fmt: skip
    with open(sheet, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        stored = converter(next(reader), datetime.now(UTC).isoformat(" "), today)
        try:
            csv.writer(psql.stdin, lineterminator="\n").writerows(map(stored, reader))
        finally:
            psql.stdin.close()
    said = psql.stdout.read().split()  # "COPY 100000": the rows the database took
    if psql.wait() != 0:
        sys.exit(f"psql exited {psql.returncode}")
    print(f"imported {said[-1] if said else '?'} customers", file=sys.stderr)


main()
