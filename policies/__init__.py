"""The built-in policy set: one check per module, loaded by path like a user's."""
