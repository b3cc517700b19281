"""Your own upsampler: a Python file defining a Paddle layer `Upsampler`, run, trained and
measured beside the built-in methods.

The file is checked here without running any of it (its syntax and the names it defines, read
from its syntax tree), so a bad file is refused before anything is computed. Its code runs
only in the worker process (viewer.core.run.user_runner), from the very text hashed here.
"""

from __future__ import annotations

import ast
import hashlib
import keyword
import shutil
from dataclasses import dataclass
from pathlib import Path

from viewer.core.errors import InputError
from viewer.core.method import RECIPE_SETTINGS, Context, Method, Operator
from viewer.core.methods import add_method, method_ids

ORDER = 9_000  # after every built-in method, before results added from files
TEMPLATE = Path(__file__).resolve().parents[3] / "resources" / "upsamplers" / "starting_point.py"


@dataclass(frozen=True)
class UserFile:
    """What was read from an upsampler file: the text that runs, and what it declares."""

    method_id: str
    path: str
    text: str
    sha256: str
    name: str
    guided: bool


_files: dict[str, UserFile] = {}  # method id -> its file, as registered


def read_user_file(path: str | Path) -> UserFile:
    """The file at `path`, checked without running it; InputError names the file (and the
    line of a syntax error) when it cannot be an upsampler."""
    path = Path(path).absolute()
    what = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(what, f"cannot be read ({error.strerror or error})") from error
    try:
        text = data.decode("utf-8")
        tree = ast.parse(text, filename=what)
    except UnicodeDecodeError as error:
        raise InputError(what, "is not a Python file (not UTF-8 text)") from error
    except SyntaxError as error:
        raise InputError(f"{what}, line {error.lineno}", f"syntax error: {error.msg}") from error
    except ValueError as error:  # NUL bytes
        raise InputError(what, f"is not a Python file ({error})") from error
    method_id = checked_id(path)
    upsampler = next(
        (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Upsampler"), None
    )
    if upsampler is None:
        raise InputError(what, "defines no class Upsampler (a paddle.nn.Layer)")
    name = literal(tree.body, "NAME", method_id)
    guided = literal(upsampler.body, "guided", False) is True
    if not isinstance(name, str) or not name.strip():
        raise InputError(what, "NAME must be a non-empty string")
    digest = hashlib.sha256(data).hexdigest()
    return UserFile(method_id, what, text, digest, name.strip(), guided)


def checked_id(path: Path) -> str:
    """The method id of the file at `path`: its stem, an identifier that is no built-in's."""
    method_id = path.stem
    if not method_id.isidentifier() or keyword.iskeyword(method_id):
        raise InputError(str(path), f"its name {method_id!r} must be a Python identifier (the id)")
    if method_id in method_ids():
        raise InputError(str(path), f"{method_id} is a built-in method's id: rename the file")
    return method_id


def literal(body: list[ast.stmt], target: str, default: object) -> object:
    """The literal value last assigned to `target` in `body` (a module's or class's)."""
    value = default
    for node in body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == target for t in targets):
                try:
                    value = ast.literal_eval(node.value)
                except ValueError:
                    value = None
    return value


def add_upsamplers(paths: list[str]) -> list[str]:
    """Each file read and registered, after checking that no two share an id."""
    files = [read_user_file(path) for path in paths]
    seen: dict[str, str] = {}
    for file in files:
        if file.method_id in seen:
            raise InputError(file.path, f"has the id of {seen[file.method_id]}: rename one")
        seen[file.method_id] = file.path
    return [register(file) for file in files]


def add_upsampler(path: str | Path) -> str:
    """Read, check and register the file (replacing an earlier version of it); its id."""
    return register(read_user_file(path))


def register(file: UserFile) -> str:
    """Make `file` a method of this process; its results are keyed by the file's content."""

    def build(context: Context) -> Operator:
        from viewer.core.run.user_runner import build_user

        return build_user(file.method_id, file.path, file.text, file.guided, context)

    kind = "guided by the full-resolution image; " if file.guided else ""
    add_method(
        Method(
            id=file.method_id,
            name=file.name,
            summary=f"your upsampler, {kind}from {file.path}",
            info=(
                f"{file.name}: your Paddle layer Upsampler from {file.path} (sha256 "
                f"{file.sha256[:12]}…), run in a worker process.\n"
                "Trained with the shared recipe when it has trainable parameters, used as it "
                "is otherwise."
            ),
            paddle_call=f"Upsampler(C, r) from {Path(file.path).name}",
            build=build,
            order=ORDER,
            learned=True,
            guided=file.guided,
            reads=RECIPE_SETTINGS,
            backend="user",
            version=file.sha256,
        )
    )
    _files[file.method_id] = file
    return file.method_id


def is_user(method_id: str) -> bool:
    return method_id in _files


def user_file(method_id: str) -> UserFile:
    return _files[method_id]


def source(method_id: str) -> dict[str, str]:
    """The `source` of a user method's rows in metrics.json and summary.json."""
    file = _files[method_id]
    return {"file": file.path, "sha256": file.sha256}


def write_starting_file(path: str | Path) -> Path:
    """A commented upsampler file that runs (a small learned one) at `path`, never over an
    existing file; InputError otherwise."""
    target = Path(path)
    if target.suffix != ".py":
        raise InputError(str(target), "must end in .py")
    checked_id(target)
    if target.exists() or target.is_symlink():
        raise InputError(str(target), "exists already: choose a new name")
    try:
        shutil.copyfile(TEMPLATE, target)
    except OSError as error:
        raise InputError(str(target), f"cannot be written ({error.strerror or error})") from error
    return target
