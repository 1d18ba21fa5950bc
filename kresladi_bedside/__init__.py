"""kresladi-bedside: guides an infusion nurse through giving KRESLADI at the bedside."""

__version__ = "0.1.0"
