# Generated, but kept in the repository on purpose.
VERSION = "1.0"
