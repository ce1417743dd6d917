#!/usr/bin/env bash
# Builds and deploys the site.
set -euo pipefail

source ./lib/common.sh
. "$HOME/.deployrc"

# Prints a message to stderr.
log() {
    echo "[deploy] $*" >&2
}

build() {
    log "building"
    npm run build
}

function deploy {
    build
    rsync -a dist/ "$TARGET"
    log "done"
}

deploy "$@"
