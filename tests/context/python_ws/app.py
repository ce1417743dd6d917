"""The application."""
import json

from models import User
from utils import slugify


def profile_url(user):
    return "/u/" + slugify(user.name)


def main():
    user = User("Ada Lovelace", "ada@example.com")
    print(json.dumps({"url": profile_url(user), "who": user.display()}))
