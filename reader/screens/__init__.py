"""Screens: each wires widgets together and reacts to their messages."""
