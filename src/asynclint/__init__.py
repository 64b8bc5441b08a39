"""asynclint: finds and fixes async misuse in Python code."""

__version__ = "0.1.0"
