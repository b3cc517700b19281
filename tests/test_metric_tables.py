"""The metrics table and the dataset view take their columns from presentation.columns."""

from pathlib import Path

from viewer.core.measure.metrics import Metrics
from viewer.core.presentation.columns import METRICS
from viewer.core.run.results import MethodResult
from viewer.ui.dataset_table import DatasetTable
from viewer.ui.metrics_table import MetricsTable


def titles(table: MetricsTable) -> list[str]:
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


def shown(table: MetricsTable) -> set[str]:
    return {title for c, title in enumerate(titles(table)) if not table.isColumnHidden(c)}


def test_the_table_shows_the_columns_the_inputs_kind_has(qtbot):
    table = MetricsTable()
    qtbot.addWidget(table)
    assert titles(table) == ["Method", *(column.title for column in METRICS)]
    assert {"PSNR dB", "PSNR-Y"} <= shown(table) and "mIoU" not in shown(table)
    table.show_columns_for("labels")
    assert {"mIoU", "Boundary F", "PSNR dB"} <= shown(table) and "PSNR-Y" not in shown(table)
    table.show_columns_for("features")
    assert "PSNR dB" in shown(table) and not {"mIoU", "PSNR-Y"} & shown(table)


def test_a_failed_method_reads_undefined_in_every_column(qtbot):
    table = MetricsTable()
    qtbot.addWidget(table)
    table.add_result(MethodResult("nearest", ms=3.0, error="boom"))
    metrics = Metrics(psnr=30.0, ssim=0.9, mae=1.0, max_abs=9.0, clipped=0.0)
    table.add_result(MethodResult("bilinear", metrics=metrics, ms=3.0))
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    failed = [table.item(rows["Nearest"], c).text() for c in range(1, table.columnCount())]
    assert set(failed) == {"—"}
    psnr = titles(table).index("PSNR dB")
    assert table.item(rows["Bilinear"], psnr).text() == "30.00"


def test_the_dataset_view_offers_the_kinds_metrics_and_opens_on_its_headline(qtbot):
    view = DatasetTable()
    qtbot.addWidget(view)
    view.start([Path("a.png")], ["nearest"], "psnr")
    keys = [view.metric.itemData(i) for i in range(view.metric.count())]
    assert "psnr_y" in keys and "miou" not in keys
    view.set_kind("labels")
    keys = [view.metric.itemData(i) for i in range(view.metric.count())]
    assert view.metric.currentData() == "miou" and "psnr_y" not in keys
    assert view.metric.currentText() == "mIoU"


def test_the_dataset_view_writes_each_metric_as_the_metrics_table_does(qtbot):
    """A checkerboard of 5.23e-06 read '0.0000' there, the same as nearest's true 0."""
    from viewer.core.output.summary import NUMBERS

    def row(method: str, checkerboard: float, clipped: float) -> dict:
        values = dict.fromkeys(NUMBERS) | {"checkerboard": checkerboard, "clipped": clipped}
        return {"method": method, "error": None} | values

    document = {
        "scale": 2,
        "degradation": "article",
        "settings": {"protocol": "article"},
        "training": {},
        "methods": [row("nearest", 0.0, 0.0), row("bilinear", 5.23e-06, 0.0258)],
    }
    view = DatasetTable()
    qtbot.addWidget(view)
    view.start([Path("a.png")], ["nearest", "bilinear"], "psnr")
    view.add(0, document, None)
    view.metric.setCurrentIndex(view.metric.findData("checkerboard"))
    assert [view.table.item(1, c).text() for c in (1, 2)] == ["0.0000", "5.23e-06"]
    assert view.table.item(0, 0).text() == "Mean of 1 image"
    view.metric.setCurrentIndex(view.metric.findData("clipped"))
    assert view.table.item(1, 2).text() == "2.58%"
    assert view.table.item(0, 2).text() == "2.58% ± 0.00%"
