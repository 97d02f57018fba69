"""Widgets: each renders part of the model and posts messages for what the user did."""
