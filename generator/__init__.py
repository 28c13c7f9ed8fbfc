"""intelbrief: turn a folder of YAML facts into a searchable intelligence brief."""

__version__ = "0.1.0"
