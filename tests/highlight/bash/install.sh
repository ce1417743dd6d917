#!/usr/bin/env bash
# <- keyword.directive
# Build and install the editor into a prefix.
# <- comment
set -euo pipefail
# <- function.builtin
#   ^ variable.parameter

readonly PREFIX="${PREFIX:-$HOME/.local}"
# <- keyword.storage
#        ^ constant
#                ^ punctuation.special
#                        ^ operator
#                           ^ variable.builtin
jobs=2

log() {
# <- function
  printf '%s\n' "$*" >&2
  # <- function.builtin
  #      ^ string
  #              ^ punctuation.special
  #                  ^ operator
}

build() {
  local profile=$1
  # <- keyword.storage
  #     ^ variable
  if [[ "$profile" == release ]]; then
  # <- keyword.control.conditional
  #  ^ punctuation.bracket
    cargo build --release --jobs "$jobs"
    # <- function
    #           ^ variable.parameter
  else
    cargo build
  fi
  # <- keyword.control.conditional
}

for profile in debug release; do
# <- keyword.control.repeat
#           ^ keyword.control.repeat
#                             ^ keyword.control.repeat
  build "$profile" || exit 1
  #                   ^ keyword.control.return
done
install -m 755 target/release/caret "$PREFIX/bin/$(basename caret)"
#                                                ^ punctuation.special
log "installed to $PREFIX"
