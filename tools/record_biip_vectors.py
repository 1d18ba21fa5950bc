"""Record biip's own test vectors into tests/labels/data/ (run by hand, once per biip version).

The label reader's GS1 tests check it against a peer's test suite (issue 27): every GS1 payload
biip's own tests (and doctests) feed to its parsers, with what biip read, recorded while that
suite runs and passes. The test `tests/labels/test_biip_vectors.py` then asserts our reader
agrees on every payload both model; deliberate differences are listed there with their reasons.

    .venv/bin/python tools/record_biip_vectors.py

Downloads biip's source distribution from PyPI (`pip download --no-binary biip`, the version
installed here), runs its test suite from the unpacked source with a recording plugin, and writes
tests/labels/data/biip-<version>-vectors.json with the source, its SHA-256 and the licence.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Loaded into biip's own test run (`-p biip_recorder`): wraps the parsers the suite calls and
# records the outermost call of each (a nested call is part of the outer one's reading).
PLUGIN = r'''
import json, os
from datetime import date, datetime

import biip
from biip import _parser
from biip.gs1_element_strings import GS1ElementString
from biip.gs1_messages import GS1Message

RECORDS = []
DEPTH = [0]


def _element(e):
    return {"ai": e.ai.ai, "value": e.value,
            "date": e.date.isoformat() if isinstance(e.date, date) else None,
            "datetime": e.datetime.isoformat() if isinstance(e.datetime, datetime) else None,
            "gtin": e.gtin.value if e.gtin is not None else None,
            "gtin_error": e.gtin_error}


def _summary(api, result):
    if api == "biip.parse":
        return {"gtin": result.gtin.as_gtin_14() if result.gtin is not None else None,
                "gtin_error": result.gtin_error,
                "symbology": (result.symbology_identifier.value
                              if result.symbology_identifier is not None else None),
                "gs1_message": ([_element(e) for e in result.gs1_message.element_strings]
                                if result.gs1_message is not None else None),
                "gs1_message_error": result.gs1_message_error}
    if api == "GS1Message.parse":
        return {"elements": [_element(e) for e in result.element_strings]}
    return {"elements": [_element(result)]}


def _wrap(api, fn, owner=None):
    def wrapper(*args, **kwargs):
        rest = args[1:] if api != "biip.parse" else args  # classmethods: drop the class
        value = rest[0] if rest else kwargs.get("value")
        config = kwargs.get("config")
        seps = list(config.separator_chars) if config is not None else ["\x1d"]
        # every other setting that differs from biip's defaults (the reading depends on it)
        options = ({k: v for k, v in vars(config).items() if k != "separator_chars"
                    and v != getattr(biip.ParseConfig(), k)} if config is not None else {})
        DEPTH[0] += 1
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:
            if DEPTH[0] == 1:
                RECORDS.append({"api": api, "value": value, "separators": seps,
                                "options": options, "error": f"{type(exc).__name__}: {exc}"})
            raise
        finally:
            DEPTH[0] -= 1
        if DEPTH[0] == 0:
            RECORDS.append({"api": api, "value": value, "separators": seps,
                            "options": options, "result": _summary(api, result)})
        return result
    return wrapper


def pytest_configure(config):
    msg_parse = GS1Message.parse.__func__
    GS1Message.parse = classmethod(_wrap(
        "GS1Message.parse", lambda _cls, *a, **kw: msg_parse(GS1Message, *a, **kw)))
    el_extract = GS1ElementString.extract.__func__
    GS1ElementString.extract = classmethod(_wrap(
        "GS1ElementString.extract",
        lambda _cls, *a, **kw: el_extract(GS1ElementString, *a, **kw)))
    el_parse = GS1ElementString.parse.__func__
    GS1ElementString.parse = classmethod(_wrap(
        "GS1ElementString.parse", lambda _cls, *a, **kw: el_parse(GS1ElementString, *a, **kw)))
    wrapped = _wrap("biip.parse", _parser.parse)
    biip.parse = wrapped
    _parser.parse = wrapped


def pytest_sessionfinish(session, exitstatus):
    with open(os.environ["BIIP_RECORD_OUT"], "w", encoding="utf-8") as f:
        json.dump({"records": RECORDS, "exitstatus": int(exitstatus),
                   "testscollected": session.testscollected,
                   "testsfailed": session.testsfailed}, f, default=repr)
'''


def main() -> int:
    ver = version("biip")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--no-binary", "biip", f"biip=={ver}", "-d", str(work)], check=True)
        sdist = next(work.glob(f"biip-{ver}.tar.gz"))
        sha256 = hashlib.sha256(sdist.read_bytes()).hexdigest()
        with tarfile.open(sdist) as tar:
            tar.extractall(work, filter="data")
        src = work / f"biip-{ver}"
        (work / "biip_recorder.py").write_text(PLUGIN, encoding="utf-8")
        raw = work / "records.json"
        env = {"PYTHONPATH": f"{work}:{src / 'src'}", "BIIP_RECORD_OUT": str(raw),
               "PATH": "/usr/bin:/bin"}
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "biip_recorder",
                              "-p", "no:randomly", "-p", "no:cacheprovider", "--rootdir",
                              str(src), "-c", str(src / "pyproject.toml"), "tests", "src"],
                             cwd=src, env=env, capture_output=True, text=True)
        print(run.stdout[-400:])
        data = json.loads(raw.read_text(encoding="utf-8"))
        licence = (src / "LICENSE").read_text(encoding="utf-8").splitlines()[0:3]
    seen: set[str] = set()
    vectors = []
    for r in data["records"]:
        key = json.dumps([r["api"], r["value"], r["separators"], r["options"]], default=repr)
        if isinstance(r["value"], str) and key not in seen:
            seen.add(key)
            vectors.append(r)
    out = ROOT / "tests" / "labels" / "data" / f"biip-{ver}-vectors.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "source": f"biip {ver} source distribution, https://pypi.org/project/biip/{ver}/ "
                  f"(sha256 {sha256}); its tests/ and doctests, run by "
                  "tools/record_biip_vectors.py",
        "licence": "Apache-2.0 (" + " ".join(line.strip() for line in licence if line.strip())
                   + "); Copyright 2020-2026 Stein Magnus Jodal and contributors. These are "
                   "inputs and outputs recorded from biip's test run, not its code.",
        "suite": {"collected": data["testscollected"], "failed": data["testsfailed"],
                  "exitstatus": data["exitstatus"]},
        "vectors": vectors,
    }, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}: {len(vectors)} distinct calls from {data['testscollected']} tests "
          f"({data['testsfailed']} failed)")
    return 0 if data["testsfailed"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
