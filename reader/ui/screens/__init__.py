"""The screens of the TUI: the main screen and the dialogs and views it opens."""
