"""SQLite's failures in one line each: what happened, that nothing was written, and what to do
(a busy file names who holds it, from Linux's /proc/locks)."""

import os
import sqlite3
from pathlib import Path


def describe_sqlite_error(error: sqlite3.Error, path: Path) -> str:
    """One line for a SQLite failure, saying what it is, that nothing was written (the CLI takes
    that back when a change had been recorded) and what to do. Never SQLite's own text when it could
    quote a stored value (a row that does not decode quotes it)."""
    text = str(error)
    nothing = "; nothing was written"
    name = getattr(error, "sqlite_errorname", "") or ""
    if "locked" in text or "busy" in text or name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return busy(path) + nothing + ": run it again once that program has finished"
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return f"the disk holding {path} is full{_file_size_limit()}{nothing}: make room, then run it again"
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in text:
        limit = _file_size_limit()
        if limit:  # a write past `ulimit -f` is refused by the kernel (EFBIG), which SQLite reports as an I/O error
            return f"a write to {path} went past the file-size limit{limit}{nothing}: raise the limit ('ulimit -f'), then run it again"
        return f"reading or writing {path} failed (a disk I/O error){nothing}: check the disk, then run it again"
    if (
        "readonly" in text
        or "read-only" in text
        or "unable to open" in text
        or name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN"))
    ):
        return _unwritable(path) + nothing
    if (
        "not a database" in text
        or "malformed" in text
        or "corrupt" in text
        or "decode" in text
        or "no such table" in text
        or "no such column" in text
    ):
        from csprcli.domain.errors import Damaged

        found = "its schema does not read" if "schema" in text else "SQLite cannot read it as csprcli wrote it"
        return str(Damaged(found, path))
    return f"the database at {path} could not be used ({name or type(error).__name__}){nothing}"


def busy(path: Path) -> str:
    """The database stayed locked by another program for as long as csprcli waits: who holds it, if it can be known."""
    holders = lock_holders(path)
    who = f" ({'; '.join(holders)})" if holders else ""
    waited = busy_timeout()
    return (
        f"the database at {path} is busy: another program{who} held it for the {waited} "
        f"second{'' if waited == 1 else 's'} csprcli waited"
    )


def busy_timeout() -> int:
    from csprcli.store import store

    return store.BUSY_TIMEOUT_SECONDS


def lock_holders(path: Path) -> list[str]:
    """The processes that hold a lock on the database or its -wal or -shm file, as "process 123 (sqlite3,
    user alice)", writers first (Linux's /proc/locks; elsewhere nothing is known and nothing is said)."""
    inodes = {}
    for suffix in ("", "-wal", "-shm"):
        try:
            found = os.stat(f"{path}{suffix}")
        except OSError:
            continue
        inodes[(os.major(found.st_dev), os.minor(found.st_dev), found.st_ino)] = suffix
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    writers: list[int] = []
    readers: list[int] = []
    for line in lines:
        parts = line.split()
        if "->" in parts:  # a lock waiting for another, not one held
            continue
        try:
            kind, pid, device = parts[3], int(parts[4]), parts[5]
            major, minor, inode = device.split(":")
            key = (int(major, 16), int(minor, 16), int(inode))
        except (IndexError, ValueError):
            continue
        if key in inodes and pid != os.getpid():
            (writers if kind == "WRITE" else readers).append(pid)
    pids = list(dict.fromkeys(writers or readers))
    return [_process(pid) for pid in pids[:3]]


def _process(pid: int) -> str:
    from csprcli.domain.text import printable

    try:
        command = Path(f"/proc/{pid}/comm").read_text(errors="replace").strip()
    except OSError:
        command = ""
    user = ""
    try:
        uid = next(
            int(line.split()[1])
            for line in Path(f"/proc/{pid}/status").read_text().splitlines()
            if line.startswith("Uid:")
        )
        import pwd

        user = pwd.getpwuid(uid).pw_name
    except (OSError, StopIteration, KeyError, ValueError, ImportError):
        pass
    details = ", ".join(p for p in (printable(command, lines=False), f"user {user}" if user else "") if p)
    return f"process {pid}" + (f", {details}" if details else "")


def _file_size_limit() -> str:
    """ " (the file-size limit is 1048576 bytes)" when the process runs under `ulimit -f`, else ""."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    except (ImportError, OSError, ValueError):
        return ""
    return (
        "" if soft == resource.RLIM_INFINITY else f" (this session's file-size limit, 'ulimit -f', is {soft:,} bytes)"
    )


def _unwritable(path: Path) -> str:
    """A database SQLite could not open or write: the folder is named when it is the cause (SQLite
    keeps its -wal and -shm files beside the database, so even a reader needs to write there)."""
    folder = Path(path).parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"the folder {folder} cannot be written by this user, and SQLite keeps its -wal and -shm files "
            f"beside the database, even to read it; make the folder writable (or copy {Path(path).name} to a "
            "folder you can write), then run it again"
        )
    if not os.access(path, os.R_OK | os.W_OK):
        return f"the database at {path} is read-only for this user; check the file's permissions"
    return f"the database at {path} cannot be opened for writing; check the file's and its folder's permissions"
