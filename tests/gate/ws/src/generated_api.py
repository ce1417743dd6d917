# Generated; rebuilt on every build.
ROUTES = []
