"""Sub-commands of ``frontline``: each module adds its parsers with ``register``."""
