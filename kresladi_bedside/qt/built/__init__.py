"""Designer forms compiled ahead by `pyside6-uic` (`make forms` writes them from `ui/`): the two
forms the start shell paints first (qt/start.py), so its first paint builds them in Python
rather than through QUiLoader. Generated: never edit by hand; `qt/forms.py` uses them in place
of the `.ui` file, and tests/qt/test_compiled_forms.py regenerates each and fails when one
differs from its `.ui` file."""
