"""A PEP 517 build backend for the placeholder package at the repository root.

pre-commit installs a `language: python` hook with `pip install .` in the
hook's repository. The package built here holds no code: its metadata only
requires `roadlint==<version>`, the wheel that carries the prebuilt binary.

A common build backend (setuptools) would have to be installed from an index
first, which fails offline even when the roadlint wheel sits in a
PIP_FIND_LINKS folder. This backend needs nothing but the standard library,
so building the placeholder never touches an index.

The metadata comes from the `[project]` table of pyproject.toml (name,
version, description, requires-python, dependencies).
"""

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

_PYPROJECT = "pyproject.toml"


def _project():
    """The `[project]` table of pyproject.toml (the current directory is the
    source tree, as PEP 517 says)."""
    with open(_PYPROJECT, "rb") as f:
        data = f.read()
    try:
        import tomllib  # Python 3.11+
    except ImportError:
        return _parse_project(data.decode("utf-8"))
    return tomllib.loads(data.decode("utf-8"))["project"]


def _parse_project(text):
    """A parser for the subset of TOML the `[project]` table uses here: one
    `key = "string"` or `key = ["string", ...]` per line (Python < 3.11)."""
    table = {}
    section = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[] ")
            continue
        if section != "project" or "=" not in line:
            continue
        key, value = (part.strip() for part in line.split("=", 1))
        if value.startswith("["):
            table[key] = re.findall(r'"([^"]*)"', value)
        else:
            table[key] = value.strip('"')
    return table


def _dist_name(project):
    return re.sub(r"[-_.]+", "_", project["name"]).lower()


def _metadata(project):
    lines = [
        "Metadata-Version: 2.1",
        "Name: " + project["name"],
        "Version: " + project["version"],
    ]
    if project.get("description"):
        lines.append("Summary: " + project["description"])
    if project.get("requires-python"):
        lines.append("Requires-Python: " + project["requires-python"])
    lines += ["Requires-Dist: " + dep for dep in project.get("dependencies", [])]
    return "\n".join(lines) + "\n"


_WHEEL = (
    "Wheel-Version: 1.0\n"
    "Generator: roadlint placeholder_backend\n"
    "Root-Is-Purelib: true\n"
    "Tag: py3-none-any\n"
)


def _dist_info(project):
    return "{}-{}.dist-info".format(_dist_name(project), project["version"])


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    project = _project()
    dist_info = _dist_info(project)
    path = os.path.join(metadata_directory, dist_info)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "METADATA"), "w", encoding="utf-8") as f:
        f.write(_metadata(project))
    with open(os.path.join(path, "WHEEL"), "w", encoding="utf-8") as f:
        f.write(_WHEEL)
    return dist_info


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "{},sha256={},{}\n".format(name, digest.decode("ascii"), len(data))


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project = _project()
    dist_info = _dist_info(project)
    files = [
        (dist_info + "/METADATA", _metadata(project).encode("utf-8")),
        (dist_info + "/WHEEL", _WHEEL.encode("utf-8")),
    ]
    record = "".join(_record_line(name, data) for name, data in files)
    record += dist_info + "/RECORD,,\n"
    files.append((dist_info + "/RECORD", record.encode("utf-8")))
    wheel_name = "{}-{}-py3-none-any.whl".format(
        _dist_name(project), project["version"]
    )
    with zipfile.ZipFile(
        os.path.join(wheel_directory, wheel_name), "w", zipfile.ZIP_DEFLATED
    ) as whl:
        for name, data in files:
            # A fixed date keeps the wheel reproducible.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            whl.writestr(info, data, zipfile.ZIP_DEFLATED)
    return wheel_name


def build_sdist(sdist_directory, config_settings=None):
    project = _project()
    base = "{}-{}".format(_dist_name(project), project["version"])
    backend = os.path.join("packaging", "placeholder", "placeholder_backend.py")
    members = [
        ("PKG-INFO", _metadata(project).encode("utf-8")),
        (_PYPROJECT, open(_PYPROJECT, "rb").read()),
        (backend.replace(os.sep, "/"), open(backend, "rb").read()),
    ]
    name = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as tar:
        for member, data in members:
            info = tarfile.TarInfo(base + "/" + member)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return name
