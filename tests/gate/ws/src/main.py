from settings import token_for


def main():
    print(token_for(None))
