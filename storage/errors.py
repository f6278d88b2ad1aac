"""Storage's own error type, so storage never depends on the crawler package."""


class StorageError(Exception):
    """The database cannot be used as asked; the message is one line for the user."""
