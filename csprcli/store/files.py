"""Files csprcli writes beside the database: never over something that is not a regular file, and
folders it creates readable by their owner only.

A file is written "atomically" by renaming a temporary file over the target, and a rename
replaces whatever is there: a device (run as root, `--output /dev/null` once replaced the
system's /dev/null), a FIFO, a socket, a symbolic link. So an existing target must be a
regular file, and anything else is refused and left exactly as it was.
"""

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import EllipsisType

from csprcli.domain.errors import BadInput, StoreError

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symbolic link"),
)


def kind_of(mode: int) -> str | None:
    """What a file of this mode is, in words; None for a regular file."""
    return next((words for test, words in _KINDS if test(mode)), None if stat.S_ISREG(mode) else "not a regular file")


Identity = tuple[int, int] | None  # (device, inode) of a regular file; None: no file there


def check_target(path: Path) -> Identity:
    """Refuse to write over an existing `path` that is not a regular file (BadInput, exit 2).
    Returns what is there, to check again at the moment of replacing it (`replacing`)."""
    from csprcli.domain.text import printable

    shown = printable(str(path), lines=False)
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        found = None
    except OSError as error:
        raise BadInput(f"cannot write {shown}: {error.strerror}") from None
    if found is None:
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            shown_folder = printable(str(folder), lines=False)
            raise BadInput(f"cannot write {shown}: there is no folder {shown_folder}; nothing was written")
        return None
    kind = kind_of(found.st_mode)
    if kind is not None:
        raise BadInput(f"{shown} is {kind}, not a regular file; nothing was written to it, give a file name")
    return (found.st_dev, found.st_ino)


def still_there(path: Path, first: Identity) -> None:
    """Refuse (BadInput) unless `path` is still what was first checked: no file, or the same regular
    file (same inode). A rename replaces whatever is there by then: a device or FIFO put at the path
    while the file was written, or another file moved into its place, is left alone."""
    from csprcli.domain.text import printable

    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return  # nothing there (the file first checked may have been removed): nothing is replaced
    except OSError as error:
        raise BadInput(f"cannot write {printable(str(path), lines=False)}: {error.strerror}") from None
    if kind_of(found.st_mode) is None and (found.st_dev, found.st_ino) == first:
        return
    kind = kind_of(found.st_mode) or "another file"
    raise BadInput(
        f"{printable(str(path), lines=False)} changed while it was being written (it is now {kind}); "
        "nothing was written to it, run the command again or give another file name"
    )


def private_folders(folder: Path) -> None:
    """Create `folder` and every missing folder above it, each readable by its owner only (mkdir's
    `mode` applies to the last folder alone, and the umask can widen what it gives)."""
    missing = []
    for parent in [folder, *folder.parents]:
        if parent.exists():
            break
        missing.append(parent)
    for parent in reversed(missing):
        try:
            parent.mkdir(mode=0o700)
        except FileExistsError:
            continue  # another process made it first
        except OSError as error:
            raise StoreError(f"cannot create the folder {parent}: {error.strerror}") from None
        os.chmod(parent, 0o700)


# The database and the files SQLite keeps beside it.
DATABASE_FILES = {
    "": "the database itself",
    "-wal": "the database's write-ahead log",
    "-shm": "the database's shared-memory file",
    "-journal": "the database's journal",
}


def not_the_database(target: Path, database: Path) -> None:
    """Refuse to write `target` when it is the database or one of SQLite's files beside it (its
    write-ahead log, shared memory or journal), by whatever path or hard link (BadInput, exit 2)."""
    from csprcli.domain.text import printable

    target = Path(target).expanduser()
    for suffix, which in DATABASE_FILES.items():
        if _same_file(target, Path(f"{Path(database).expanduser()}{suffix}")):
            raise BadInput(
                f"{printable(str(target), lines=False)} is {which}; nothing was written to it, give another file name"
            )


def _same_file(one: Path, other: Path) -> bool:
    try:
        if one.resolve() == other.resolve():
            return True
    except (OSError, RuntimeError):
        pass
    try:
        return os.path.samefile(one, other)  # a hard link: another name for the same file
    except OSError:
        return False


@contextmanager
def replacing(target: Path, first: Identity | EllipsisType = ...) -> Iterator[Path]:
    """A new file beside `target`, readable by its owner only, moved over `target` when the block
    ends without an error: the target is never seen half written. An existing target that is
    not a regular file is refused first (check_target), and again at the moment of replacing it:
    it must still be what was first checked (`first`, from an earlier check_target, or this one's),
    see still_there. The temporary file never outlives the block."""
    import tempfile  # only when writing a file

    checked = check_target(target)
    first = checked if first is ... else first
    directory = target.parent if str(target.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        still_there(target, first)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
