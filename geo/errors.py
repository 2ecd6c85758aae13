"""The one base class for errors that users should see as a message, not a traceback."""


class FrontlineError(RuntimeError):
    """Bad data or a broken file: the message says what and where."""
