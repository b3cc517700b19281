"""The feature-map channel choice: PCA or one channel of a feature map, the labels or one
class's scores of a label map. The model's `feature_channel` holds it; this combo box
writes it and shows it."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from viewer.core.inputs.degrade import Inputs
from viewer.model import WindowModel


class FeatureChoice(QComboBox):
    def __init__(self, model: WindowModel) -> None:
        super().__init__()
        self.model = model
        self.setToolTip(
            "Feature maps: show the first three principal components of "
            "the original as RGB (one basis for every pane), or one channel"
        )
        self.currentIndexChanged.connect(
            lambda _: setattr(model, "feature_channel", self.currentData())
        )
        model.events.feature_channel.connect(self._show)

    def _show(self, channel: int | None) -> None:
        self.blockSignals(True)
        self.setCurrentIndex(max(self.findData(channel), 0))
        self.blockSignals(False)

    def offer(self, inputs: Inputs) -> None:
        """The choices of a new input; it starts on its first (PCA, or the labels). The
        window draws a new input whole, so the reset is not announced."""
        self.blockSignals(True)
        self.clear()
        if inputs.classes is not None:
            self.addItem("Labels (argmax)", None)
            for channel, class_id in enumerate(inputs.classes.classes):
                self.addItem(f"class {class_id} score", channel)
        elif inputs.is_features:
            self.addItem("PCA: first 3 components as RGB", None)
            for channel in range(inputs.original.shape[2]):
                self.addItem(f"channel {channel}", channel)
        self.blockSignals(False)
        with self.model.events.feature_channel.blocked():
            self.model.feature_channel = None
