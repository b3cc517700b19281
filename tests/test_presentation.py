"""The one definition of how results and pixels read as text (viewer.core.presentation)."""

import numpy as np

from viewer.core.measure.artifacts import Artifacts
from viewer.core.measure.metrics import Metrics
from viewer.core.output.report import COLUMNS, metrics_row
from viewer.core.presentation.captions import (
    reference_captions,
    reference_panes,
    region_subtitle,
    result_caption,
    sheet_subtitle,
)
from viewer.core.presentation.columns import BY_KEY, ROW_KEYS, columns_for, headline
from viewer.core.presentation.pixel_text import (
    PixelLayers,
    class_text,
    is_light,
    pixel_text,
    unit_text,
    where_text,
)
from viewer.core.run.results import MethodResult

PHOTO = Metrics(psnr=31.234, ssim=0.91234, mae=2.0, max_abs=40.0, clipped=0.0)
LABELS = Metrics(
    psnr=20.0,
    ssim=0.5,
    mae=1.0,
    max_abs=3.0,
    clipped=0.0,
    pixel_acc=0.95,
    miou=0.81234,
    boundary_iou=0.61234,
    boundary_f=0.7,
)


def test_a_photo_is_captioned_with_psnr_ssim_and_time_in_panes_and_sheets():
    result = MethodResult("bicubic", metrics=PHOTO, ms=12.4)
    caption, tip = result_caption(result)
    assert caption == "31.23 dB · SSIM 0.9123 · 12 ms"
    assert tip == "PSNR 31.23 dB, SSIM 0.9123, 12 ms"
    assert sheet_subtitle(result) == "31.23 dB  SSIM 0.9123  12 ms"  # Hershey has no '·'


def test_a_label_map_is_captioned_with_its_segmentation_scores():
    result = MethodResult("jbu", metrics=LABELS, ms=3.0)
    caption, tip = result_caption(result)
    assert caption == "mIoU 0.8123 · BIoU 0.6123 · 3 ms"
    assert "pixel accuracy 0.9500" in tip and "boundary F 0.7000" in tip
    assert sheet_subtitle(result) == "mIoU 0.8123  BIoU 0.6123  3 ms"


def test_a_caption_gives_a_long_time_in_seconds_and_the_tooltip_in_milliseconds():
    times = [3.0, 999.4, 999.6, 4879.0, 9949.0, 12302.0]
    captions = [result_caption(MethodResult("x", metrics=LABELS, ms=ms)) for ms in times]
    assert [caption.split(" · ")[-1] for caption, _ in captions] == [
        "3 ms",
        "999 ms",
        "1.0 s",
        "4.9 s",
        "9.9 s",
        "12 s",
    ]
    assert captions[3][1].endswith("4879 ms")


def test_a_failure_and_a_cached_result_say_so():
    failed = MethodResult("carafe", error="out of memory " * 10)
    assert result_caption(failed) == ("failed", failed.error)
    assert sheet_subtitle(failed) == "failed: " + failed.error[:40]
    cached = MethodResult("bicubic", metrics=PHOTO, ms=1.0, cached=True)
    assert result_caption(cached)[1].endswith(
        "(from the cache: computed earlier with these settings)"
    )


def test_a_region_tile_adds_where_it_starts_and_its_size():
    assert region_subtitle("31.23 dB", 8, 4, 20, 10) == "31.23 dB  [8, 4] 20x10"


RGB = np.array([[[10, 20, 30], [250, 250, 250]]], np.uint8)


def test_rgb_reads_on_one_line_or_one_value_a_line_inside_a_pixel():
    layers = PixelLayers(rgb=RGB)
    assert pixel_text(layers, 0, 0) == "10 20 30"
    assert pixel_text(layers, 0, 0, cell=True) == "10\n20\n30"
    assert pixel_text(layers, 0, 2) is None and pixel_text(layers, 1, 0) is None
    assert pixel_text(layers, -1, 0) is None
    assert is_light(RGB[0, 1]) and not is_light(RGB[0, 0])


def test_a_heatmap_value_wins_and_carries_a_sign_only_in_a_signed_view():
    heat = np.array([[1.23456, -0.5]], np.float32)
    assert pixel_text(PixelLayers(rgb=RGB, heat=heat, signed=True), 0, 0) == "+1.235"
    assert pixel_text(PixelLayers(rgb=RGB, heat=heat, signed=True), 0, 1, cell=True) == "-0.5"
    assert pixel_text(PixelLayers(rgb=RGB, heat=heat), 0, 0, cell=True) == "1.2"
    assert pixel_text(PixelLayers(rgb=RGB, heat=heat), 0, 0) == "1.235"


def test_class_ids_name_the_class_and_the_ignore_value():
    layers = PixelLayers(rgb=RGB, classes=np.array([[3, 255]], np.uint8))
    assert pixel_text(layers, 0, 0) == "class 3"
    assert pixel_text(layers, 0, 0, cell=True) == "class\n3"
    assert pixel_text(layers, 0, 1) == "ignore (255)"
    assert pixel_text(layers, 0, 1, cell=True) == "ignore"


def test_the_ignore_value_is_the_label_maps_own():
    camvid = PixelLayers(rgb=RGB, classes=np.array([[11, 255]], np.uint8), ignore=11)
    assert pixel_text(camvid, 0, 0) == "ignore (11)" == class_text(11, ignore=11)
    assert pixel_text(camvid, 0, 0, cell=True) == "ignore"
    assert pixel_text(camvid, 0, 1) == "class 255" == class_text(255, ignore=11)


def test_a_feature_map_reads_in_its_own_values():
    scaled = np.array([[[0.0, 255.0, 51.0, 102.0]]], np.float32)  # 0..255 of -1..4

    def real(values):
        return -1 + np.asarray(values, np.float64) * (5 / 255)

    layers = PixelLayers(rgb=RGB, features=scaled, real_value=real)
    assert pixel_text(layers, 0, 0) == "-1, 4, 0 … (4 channels)"
    assert pixel_text(PixelLayers(features=scaled[..., :3]), 0, 0) == "0, 255, 51"
    chosen = PixelLayers(features=scaled, real_value=real, channel=3)
    assert pixel_text(chosen, 0, 0) == "channel 3: 1"


def test_every_column_reads_its_number_from_the_result_and_formats_it():
    artifacts = Artifacts(
        checkerboard=2e-5, phase_cv=None, overshoot=0.0123, overshoot_max=4.0, hf_energy=0.1
    )
    result = MethodResult("x", metrics=PHOTO, artifacts=artifacts, ms=12.345, params=12345)
    texts = {key: column.text(column.value(result)) for key, column in BY_KEY.items()}
    assert texts["psnr"] == "31.23" and texts["ssim"] == "0.9123"
    assert texts["checkerboard"] == "2.00e-05" and texts["overshoot"] == "1.23%"
    assert texts["phase_cv"] == texts["miou"] == texts["psnr_y"] == "—"  # undefined
    assert texts["ms"] == "12.3" and texts["params"] == "12,345"
    assert BY_KEY["psnr"].text(float("inf")) == "inf"
    assert BY_KEY["ssim"].text(float("nan")) == "—"


def test_a_failed_method_has_no_metric_but_keeps_its_time():
    failed = MethodResult("x", ms=5.0, error="boom")
    assert BY_KEY["psnr"].value(failed) is None and BY_KEY["checkerboard"].value(failed) is None
    assert BY_KEY["ms"].value(failed) == 5.0


def test_files_hold_finite_rounded_numbers_or_null():
    assert BY_KEY["psnr"].for_file(float("inf")) is None
    assert BY_KEY["ssim"].for_file(float("nan")) is None
    assert BY_KEY["ssim"].for_file(0.1234567891234) == 0.123456789
    assert BY_KEY["ms"].for_file(1.23456) == 1.235
    assert BY_KEY["params"].for_file(7) == 7


def test_which_columns_each_kind_of_input_has():
    keys = {kind: [c.key for c in columns_for(kind)] for kind in ("image", "features", "labels")}
    assert "miou" in keys["labels"] and "miou" not in keys["image"]
    assert "psnr_y" in keys["image"] and "psnr_y" not in keys["features"]
    assert all("psnr" in found and "ms" in found for found in keys.values())
    assert ROW_KEYS[0] == "method" and ROW_KEYS[-1] == "error"
    assert (headline("labels"), headline("image")) == ("miou", "psnr")


def test_a_metrics_row_holds_every_column_in_the_files_order():
    row = metrics_row(MethodResult("bicubic", metrics=PHOTO, ms=1.0))
    assert tuple(row) == COLUMNS
    assert row["psnr"] == 31.234 and row["miou"] is None and row["checkerboard"] is None


def test_the_references_are_named_and_sized_once_for_panes_and_sheets():
    assert [key for key, _, _ in reference_panes(4)] == ["original", "lowres"]
    assert "x4 down" in reference_panes(4)[1][2]
    assert reference_captions(640, 480, 4) == {"original": "640x480", "lowres": "160x120, x4"}


def test_the_inspector_is_headed_by_the_position_and_the_views_unit():
    assert where_text(12.7, 3.2) == "x 12  y 3"
    assert unit_text("image", "luma difference (levels)") == ""
    assert unit_text("signed", "luma difference (levels)") == "  (luma difference (levels))"
