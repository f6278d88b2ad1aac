"""The one exception type the CLI turns into a single error line and a non-zero exit."""


class ExodusError(Exception):
    """A problem the user can fix; its message is the whole explanation."""
