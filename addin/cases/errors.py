"""The errors that stop a run before any case is read: the command exits 2 on either."""


class CaseFileError(Exception):
    """A case file that cannot be used at all (unreadable, or a required column missing)."""


class MapError(CaseFileError):
    """A map file that cannot be used: the message names the file and the key."""


# Each problem of a row, by the row's position: (case-table column, message); column '' is the
# row itself. Only rows with a problem have an entry.
Problems = dict[int, list[tuple[str, str]]]
