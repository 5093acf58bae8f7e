"""The user's settings: one TOML file in the config folder, overridden per workspace."""
