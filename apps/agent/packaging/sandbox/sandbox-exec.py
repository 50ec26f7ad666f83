#!/usr/bin/python3
"""Runs a command under the kernel-level restrictions of plumbline-agent.service that do not
need systemd as PID 1: MemoryDenyWriteExecute= (prctl PR_SET_MDWE), SystemCallFilter= with
SystemCallErrorNumber=EPERM, and RestrictAddressFamilies= (both as seccomp filters built from
`systemd-analyze syscall-filter`, so the groups are systemd's own).

usage: sandbox-exec.py ALLOW_GROUPS DENY_GROUPS FAMILIES -- COMMAND...
  e.g. sandbox-exec.py @system-service '@privileged @resources' 'AF_UNIX AF_INET AF_INET6 AF_NETLINK' -- agent facts
Needs python3-seccomp (Debian package); without it, only MemoryDenyWriteExecute= is applied.
"""
import ctypes
import errno
import os
import socket
import subprocess
import sys


def expand(group, seen=None):
    seen = set() if seen is None else seen
    if group in seen:
        return set()
    seen.add(group)
    out = subprocess.run(["systemd-analyze", "syscall-filter", group], check=True, capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines()[1:]:
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        names |= expand(word, seen) if word.startswith("@") else {word}
    return names


def main():
    sep = sys.argv.index("--")
    allow_groups, deny_groups, families = sys.argv[1:sep]
    command = sys.argv[sep + 1 :]
    libc = ctypes.CDLL(None, use_errno=True)
    # PR_SET_MDWE = 65, PR_MDWE_REFUSE_EXEC_GAIN = 1 (Linux 6.3+): no writable+executable memory.
    if libc.prctl(65, 1, 0, 0, 0) != 0:
        sys.exit("prctl(PR_SET_MDWE): %s" % os.strerror(ctypes.get_errno()))
    try:
        import seccomp
    except ImportError:
        print("sandbox-exec: python3-seccomp missing: no syscall or address-family filter", file=sys.stderr)
        os.execvp(command[0], command)
    allowed = set()
    for g in allow_groups.split():
        allowed |= expand(g)
    for g in deny_groups.split():
        allowed -= expand(g)
    f = seccomp.SyscallFilter(defaction=seccomp.ERRNO(errno.EPERM))
    for name in sorted(allowed - {"socket"}):
        try:
            f.add_rule(seccomp.ALLOW, name)
        except (RuntimeError, ValueError, OSError):
            pass  # not a syscall on this architecture
    for fam in families.split():
        f.add_rule(seccomp.ALLOW, "socket", seccomp.Arg(0, seccomp.EQ, int(getattr(socket, fam))))
    f.load()
    os.execvp(command[0], command)


main()
