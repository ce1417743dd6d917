#!/usr/bin/env python3
# <- keyword.directive
"""Summarise a CSV file of timings."""
# <- comment.documentation

import csv
# <- keyword.control.import
from dataclasses import dataclass
# <- keyword.control.import
#    ^ namespace

MAX_ROWS = 10_000
# <- constant
#          ^ constant.numeric


@dataclass(frozen=True)
# <- attribute
 # <- attribute
class Timing:
# <- keyword.storage.type
#     ^ type
    name: str
    #     ^ type.builtin
    seconds: float = 0.0

    def label(self, width: int = 12) -> str:
    # <- keyword.function
    #   ^ function.method
    #         ^ variable.builtin
    #               ^ variable.parameter
        return f"{self.name:<{width}} {self.seconds:.2f}s\n"
        # <- keyword.control.return
        #      ^ string
        #              ^ variable.other.member
        #                                                ^ constant.character.escape


def load(path, limit=None):
#   ^ function
#                    ^ constant.builtin
    rows = []
    with open(path, newline="") as handle:
    # <- keyword
    #    ^ function.builtin
    #               ^ variable.parameter
        for row in csv.reader(handle):
        # <- keyword.control.repeat
        #              ^ function.method
            if len(rows) >= (limit or MAX_ROWS):
            # <- keyword.control.conditional
            #                      ^ keyword.operator
                break
            try:
            # <- keyword.control.exception
                rows.append(Timing(row[0], float(row[1])))
                #           ^ constructor
            except (IndexError, ValueError) as err:
            #       ^ type.builtin
                raise RuntimeError(f"bad row {row!r}") from err
                # <- keyword.control.exception
    return rows
