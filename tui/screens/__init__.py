"""Screens: the main screen (the one coordinator) and modal dialogs."""
