"""What goes wrong with a control map, said in one line."""

from geo.errors import FrontlineError


class ControlError(FrontlineError):
    """A control file that cannot become a snapshot: the message names the file and why."""
