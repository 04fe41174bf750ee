"""Generators of painread's data modules; never shipped in the wheel."""
