"""Run one command; report its wall time, peak memory and exit code (a helper of run.py).

    python -I -S measure.py FD COMMAND [ARG...]

Linux counts in a process's ru_maxrss the memory of the process it was forked from (exec keeps
the high-water mark of the memory it replaces), so a command started straight from run.py would
never show less than run.py's own peak, which grows with the output it keeps. Started from this
small process instead (the interpreter without site-packages, about 8 MiB), a command's peak is
its own. The command inherits stdin, stdout and stderr; the time runs from its spawn to its
exit. One line "SECONDS MAXRSS_KIB EXIT_CODE" is written to the file descriptor FD.
"""

import os
import sys
import time

report_fd, command = int(sys.argv[1]), sys.argv[2:]
started = time.perf_counter()
pid = os.posix_spawnp(command[0], command, os.environ)
_pid, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
os.write(report_fd, f"{seconds:.6f} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}\n".encode())
