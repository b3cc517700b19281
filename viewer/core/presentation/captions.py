"""The names and the line under each pane, and under each tile of an exported sheet.

One list of parts for both; a pane joins them with ' · ', a sheet with two spaces (OpenCV's
Hershey font has no '·'). Label maps are captioned with their segmentation scores, the
rest with PSNR and SSIM.
"""

from __future__ import annotations

from viewer.core.run.results import MethodResult

SHEET_ERROR_CHARS = 40  # a failure's reason is cut to this on a sheet's tile
CACHED = " (from the cache: computed earlier with these settings)"


def duration(ms: float) -> str:
    """A time as short as a caption needs it: '873 ms', '4.9 s', '12 s'. A label pane at
    1024 x 700 is about 86 px wide: 'BIoU 0.9210 · 4879 ms' lost its time there, '4.9 s'
    fits (the tooltip keeps the milliseconds)."""
    if ms < 999.5:
        return f"{ms:.0f} ms"
    return f"{ms / 1000:.1f} s" if ms < 9950 else f"{ms / 1000:.0f} s"


def caption_parts(result: MethodResult) -> list[str]:
    """The headline scores and the time of a measured result."""
    m, ms = result.metrics, duration(result.ms)
    if m.miou is not None:
        return [f"mIoU {m.miou:.4f}", f"BIoU {m.boundary_iou:.4f}", ms]
    return [f"{m.psnr:.2f} dB", f"SSIM {m.ssim:.4f}", ms]


def result_caption(result: MethodResult) -> tuple[str, str]:
    """A pane's caption and its tooltip ('failed' and the reason for a failed method); the
    tooltip says when the result came from the cache."""
    if result.error:
        return "failed", result.error
    m, ms = result.metrics, f"{result.ms:.0f} ms"
    if m.miou is not None:
        tip = (
            f"pixel accuracy {m.pixel_acc:.4f}, mIoU {m.miou:.4f}, Boundary IoU "
            f"{m.boundary_iou:.4f}, boundary F {m.boundary_f:.4f}, {ms}"
        )
    else:
        tip = f"PSNR {m.psnr:.2f} dB, SSIM {m.ssim:.4f}, {ms}"
    return " · ".join(caption_parts(result)), tip + (CACHED if result.cached else "")


def sheet_subtitle(result: MethodResult) -> str:
    """A result's line under its tile on a contact sheet."""
    if result.error:
        return "failed: " + result.error[:SHEET_ERROR_CHARS]
    return "  ".join(caption_parts(result))


def region_subtitle(caption: str, left: int, top: int, width: int, height: int) -> str:
    """An exported region's tile: the pane's caption, where the region starts and its size."""
    return f"{caption}  [{left}, {top}] {width}x{height}"


def reference_panes(scale: int) -> list[tuple[str, str, str]]:
    """(key, title, tooltip) of the two references every method is compared with."""
    return [
        ("original", "Original", "The original, mod-cropped to a multiple of the scale"),
        ("lowres", "Low-res input", f"The degraded input (x{scale} down), shown nearest"),
    ]


def reference_captions(width: int, height: int, scale: int) -> dict[str, str]:
    """The references' captions: the original's size, the input's size and the scale."""
    low = f"{width // scale}x{height // scale}"
    return {"original": f"{width}x{height}", "lowres": f"{low}, x{scale}"}
