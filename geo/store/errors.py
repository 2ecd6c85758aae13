"""What goes wrong with a store, said in one line."""

from geo.errors import FrontlineError


class StoreError(FrontlineError):
    """The store cannot be opened, is not a Frontline store, or refuses a write."""
