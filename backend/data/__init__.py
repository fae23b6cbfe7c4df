"""Loaders for the offline training data sets listed in DESIGN.md."""
