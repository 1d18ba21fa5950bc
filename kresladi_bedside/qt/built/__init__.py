"""Every Designer form in `ui/`, compiled ahead by `pyside6-uic` (`make forms` writes one
`<form>_ui.py` per `.ui` file): `qt/forms.py` builds each form from its module, so no form is
read from XML or through QUiLoader at run time. Generated: never edit by hand; after editing a
`.ui` file run `make forms`. tests/qt/test_compiled_forms.py regenerates each and fails when one
differs from its `.ui` file."""
