"""Inventory of items."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Optional

DEFAULT_PATH = os.path.join("data", "inventory.json")


@dataclass
class Item:
    name: str
    price: float = 0.0


class Inventory(Base):
    """Holds items by name."""

    def __init__(self, path: Optional[str] = None):
        self.items: dict[str, Item] = {}
        self.path = path or DEFAULT_PATH

    # Adds one item; replaces an older one.
    @staticmethod
    def add(inventory: Inventory, item: Item) -> None:
        inventory.items[item.name] = item

    def total(self) -> float:
        return sum(item.price for item in self.items.values())


def load(path: str) -> Inventory:
    inventory = Inventory(path)
    for name in read_names(path):
        Inventory.add(inventory, Item(name))
    return inventory


def read_names(path):
    def clean(line):
        return line.strip()

    with open(path) as f:
        return [clean(line) for line in f]
