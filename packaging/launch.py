"""Entry point of the frozen build: the same `main` as the `kresladi-bedside` console script.
(`kresladi_bedside/__main__.py` uses a relative import, which a top-level script cannot.)"""

import multiprocessing
import sys

from kresladi_bedside.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
