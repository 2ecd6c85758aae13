"""Errors that the command line and the HTTP API report to users in one line."""


class UsageError(Exception):
    """Bad input from the user: reported plainly, never as a stack trace."""
