"""The widgets the screens are made of; each owns its own state and look."""
