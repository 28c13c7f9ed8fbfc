"""intelbrief: turn a folder of YAML facts into a searchable intelligence brief."""

__version__ = "0.2.0"  # CHANGELOG.md says what each version changed
