"""Settings for the fixture app. Every secret in this file is fake."""

import os

DEBUG = False
ALLOWED_HOSTS = ["localhost"]

# AWS's documented example key id, not a real one.
AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
AWS_REGION = "eu-west-1"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "app",
        "PASSWORD": "Fake-Pa55word-n0t-Real-7q",
        "HOST": os.environ.get("DB_HOST", "localhost"),
    }
}

SECRET_KEY = os.environ["SECRET_KEY"]
TOKEN_HEADER = "X-Auth-Token"


def token_for(user):
    token = user.tokens.latest()
    return token.value
