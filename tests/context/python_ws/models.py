"""Data models."""


class User:
    """A person who can log in."""

    def __init__(self, name, email):
        self.name = name
        self.email = email

    def display(self):
        return f"{self.name} <{self.email}>"
