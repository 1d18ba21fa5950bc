import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# One workstation key for the whole run, never the developer's own (store/key.py); subprocesses
# (the CLI tests, the crash child) inherit it.
os.environ.setdefault("KRESLADI_KEY_FILE",
                      str(Path(tempfile.mkdtemp(prefix="kresladi-key-")) / "workstation.key"))
