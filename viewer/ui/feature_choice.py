"""What a feature map's or label map's panes show: the whole (PCA of a feature map, the labels
of a label map) or one channel (a feature channel, one class's scores), chosen by number in a
spin box with its name beside it: a 65-entry drop-down named "channel" stood beside the
difference views' own Channel box. The model's `feature_channel` holds the choice; these
controls write it and show it."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from viewer.core.inputs.degrade import Inputs
from viewer.model import WindowModel

WHOLE, ONE = 0, 1


class FeatureChoice(QWidget):
    def __init__(self, model: WindowModel) -> None:
        super().__init__()
        self.model = model
        self.names: list[str] = []  # each channel's name, by number
        self.view = QComboBox()
        # Its entries change with the input: its width follows them (Qt's default keeps the
        # width of its first show).
        self.view.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.view.setToolTip(
            "Feature maps: the first three principal components of the original as RGB (one "
            "basis for every pane), or one channel; label maps: the labels, or one class's "
            "scores"
        )
        self.number = QSpinBox()
        self.number.setToolTip("Which channel (or class): type its number or step with the arrows")
        self.name = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(QLabel("Show"))
        layout.addWidget(self.view)
        layout.addWidget(self.number)
        layout.addWidget(self.name)
        self.view.currentIndexChanged.connect(lambda _: self._write())
        self.number.valueChanged.connect(lambda _: self._write())
        model.events.feature_channel.connect(self._show)

    def channel_count(self) -> int:
        return len(self.names)

    def choose(self, channel: int | None) -> None:
        """Show `channel` (None: the whole)."""
        self.model.feature_channel = channel

    def _write(self) -> None:
        one = self.view.currentIndex() == ONE
        self.choose(self.number.value() if one else None)

    def _show(self, channel: int | None) -> None:
        for control in (self.view, self.number):
            control.blockSignals(True)
        self.view.setCurrentIndex(WHOLE if channel is None else ONE)
        if channel is not None:
            self.number.setValue(channel)
        self.number.setEnabled(channel is not None)
        shown = self.number.value()
        self.name.setText(self.names[shown] if self.names and channel is not None else "")
        for control in (self.view, self.number):
            control.blockSignals(False)

    def offer(self, inputs: Inputs) -> None:
        """The choices of a new input; it starts on the whole (PCA, or the labels). The
        window draws a new input whole, so the reset is not announced."""
        if inputs.classes is not None:
            whole, one = "Labels (argmax)", "One class's scores"
            self.names = [f"class {class_id} score" for class_id in inputs.classes.classes]
        elif inputs.is_features:
            whole, one = "PCA: first 3 components as RGB", "One channel"
            count = inputs.original.shape[2]
            self.names = [f"channel {channel} of {count}" for channel in range(count)]
        else:
            whole, one, self.names = "Image", "", []
        for control in (self.view, self.number):
            control.blockSignals(True)
        self.view.clear()
        self.view.addItem(whole)
        if self.names:
            self.view.addItem(one)
        self.number.setRange(0, max(0, len(self.names) - 1))
        self.number.setValue(0)
        for control in (self.view, self.number):
            control.blockSignals(False)
        with self.model.events.feature_channel.blocked():
            self.model.feature_channel = None
        self._show(None)
