"""A result made elsewhere, such as your own network's output, compared like every method.

It becomes a method whose operator returns the file's image, so the engine measures and
scores it, and the table, panes and files show it, exactly as the built-in operators.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from viewer.core.errors import InputError
from viewer.core.inputs.image_io import load_image
from viewer.core.method import Context, Method, Operator
from viewer.core.methods import add_method, get_method, method_ids
from viewer.core.settings import DEFAULT_MAX_PIXELS

ORDER = 10_000  # after every built-in method
MAX_SLUG = 64  # characters of the name kept in the id (its file names stay short)
_images: dict[str, tuple] = {}  # id -> (LoadedImage, path), for checks before a run


def parse_addition(text: str) -> tuple[str, str]:
    """NAME=FILE (or FILE alone, named by its stem) from `--add`; InputError otherwise."""
    name, separator, path = text.partition("=")
    if not separator:
        name, path = Path(text).stem, text
    if not name.strip() or not path.strip():
        raise InputError("--add", f"must be NAME=FILE, not {text or '(empty)'}")
    return name.strip(), path.strip()


def method_id(name: str) -> str:
    """The id of the result named `name`: its letters and digits (of any script), lower
    case, runs of anything else as one `_`. It names the result's files, so it is safe in a
    file name; "My Net" and "my-net" share one."""
    slug = re.sub(r"\W+", "_", name.casefold()).strip("_")[:MAX_SLUG].strip("_")
    return f"added_{slug or 'result'}"


def check_unique_names(names: list[str], what: str = "--add") -> None:
    """Refuse two added results that would share an id (one would replace the other)."""
    seen: dict[str, str] = {}
    for name in names:
        identifier = method_id(name)
        if identifier in seen:
            raise InputError(
                what,
                f"{seen[identifier]!r} and {name!r} name the same result ({identifier}): "
                "give each a name of its own",
            )
        seen[identifier] = name


def add_results(
    additions: list[tuple[str, str]], max_pixels: int = DEFAULT_MAX_PIXELS
) -> list[str]:
    """Each (name, path) added as by `add_result`, after checking that no two share an id."""
    check_unique_names([name for name, _ in additions])
    return [add_result(name, path, max_pixels) for name, path in additions]


def add_result(name: str, path: str | Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> str:
    """Read the image at `path` now (InputError names it) and register it as a method named
    `name`; returns the method's id."""
    image = load_image(path, max_pixels)
    identifier = method_id(name)
    if identifier in method_ids():
        raise InputError("--add", f"{name} is the name of a built-in method")

    def build(context: Context) -> Operator:
        import paddle

        from viewer.core.run.training import to_nchw

        pixels = fitted(image.pixels, context.original.shape, context.scale, str(path))
        tensor = paddle.to_tensor(to_nchw(pixels.astype(np.float32)))
        return lambda _source: tensor

    _images[identifier] = (image, path)
    add_method(
        Method(
            id=identifier,
            name=name,
            summary=f"your result, read from {path}",
            info=(
                f"{name}: an image made elsewhere (your own network's output), read from "
                f"{path} and compared with the original like every method.\n"
                "It has no operator, so Phase CV (the response to a constant image) is "
                "undefined; the time is that of reading it."
            ),
            paddle_call="(none: an image file)",
            build=build,
            order=ORDER,
            backend="file",
        )
    )
    return identifier


def fitted(pixels: np.ndarray, shape: tuple[int, ...], scale: int, name: str) -> np.ndarray:
    """The result at the (cropped) original's size: cropped the same way if it has the
    uncropped size (at most scale - 1 more rows and columns); InputError otherwise."""
    height, width = shape[:2]
    if pixels.shape[2] != shape[2]:
        raise InputError(name, f"has {pixels.shape[2]} channels; the original has {shape[2]}")
    extra_rows, extra_columns = pixels.shape[0] - height, pixels.shape[1] - width
    if not (0 <= extra_rows < scale and 0 <= extra_columns < scale):
        size = f"{pixels.shape[1]}x{pixels.shape[0]}"
        raise InputError(name, f"is {size}; the original is {width}x{height} (or uncropped)")
    return pixels[:height, :width]


def source(identifier: str) -> tuple[str, str]:
    """(name, path) an added result was read from."""
    return get_method(identifier).name, str(Path(_images[identifier][1]).resolve())


def is_added(identifier: str) -> bool:
    return identifier in _images


def check_fits(identifier: str, shape: tuple[int, ...], scale: int) -> None:
    """Refuse an added result of the wrong size before anything runs."""
    image, path = _images[identifier]
    fitted(image.pixels, shape, scale, str(path))
