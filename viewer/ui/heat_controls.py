"""Toolbar controls for the difference views, and the one colour bar they share."""

from __future__ import annotations

from functools import cached_property

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QToolBar

from viewer.core.output.sheet import Legend
from viewer.core.views.derived import CHANNELS, FIXED_MODES, MODES, unavailable
from viewer.model import Display
from viewer.ui.colormaps import colour_map
from viewer.ui.pane_grid import PaneGrid

MODE_LABELS = {
    "image": "Image",
    "abs": "|Difference|",
    "signed": "Signed difference",
    "ssim": "SSIM map",
    "flip": "FLIP",
    "spectrum": "Spectrum",
    "diff_spectrum": "Difference spectrum",
}
# What the toolbar's buttons say: short, so that every control fits a 1024-px-wide window
# (the long names overflowed the scale controls into the ">>" menu); each button's tooltip
# starts with the long name.
SHORT_LABELS = {
    **MODE_LABELS,
    "abs": "|Diff|",
    "signed": "Signed",
    "ssim": "SSIM",
    "diff_spectrum": "Diff spectrum",
}
# Inputs whose panes show colours the difference's channel can pick from: a feature map's
# panes show its principal components or one grey channel, a label map's panes its class
# colours, so for them the chosen feature channel (or class) is the one channel control.
COLOUR_CHANNEL_KINDS = ("image",)
MODE_TIPS = {
    "image": "Each pane shows its image",
    "abs": "Absolute difference to the original (magma), one scale for all panes",
    "signed": "Signed difference to the original (diverging), one scale for all panes",
    "ssim": "1 − local SSIM to the original (scikit-image's structural_similarity, full=True): "
    "where structure, not only brightness, differs",
    "flip": "NVIDIA FLIP's error map to the original (flip-evaluator): how visible each "
    "difference is to a person flipping between the two images, in FLIP's own colours over "
    "0..1. Computed on demand: a few seconds per pane on a large image",
    "spectrum": "Centred log-magnitude Fourier spectrum (luma): checkerboard shows as bright "
    "replica peaks at multiples of 1/r of the width and height from the centre",
    "diff_spectrum": "Spectrum of the difference to the original: which frequencies are wrong",
}
CYCLED = ("image", "abs", "signed")


class HeatControls(QToolBar):
    """Mode (image / |difference| / signed), channel, and the shared scale (auto or fixed):
    the controls of the model's display choice. They write it and show what it holds."""

    def __init__(self, display: Display) -> None:
        super().__init__("Difference")
        self.display = display
        self.kind = "image"  # the input's (Inputs.kind), as offer_for last heard
        self.mode_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        for mode in MODES:
            action = QAction(MODE_LABELS[mode], self, checkable=True)
            action.setIconText(SHORT_LABELS[mode])
            action.setData(mode)
            action.setToolTip(self.tip(mode))
            action.triggered.connect(lambda _=False, m=mode: self.set_mode(m))
            group.addAction(action)
            self.addAction(action)
            self.mode_actions[mode] = action
        self.addSeparator()
        self.channel = QComboBox()
        self.channel.addItems(CHANNELS)
        self.channel.setToolTip("Difference of luma (BT.601) or of one colour channel")
        self.channel.currentTextChanged.connect(lambda c: setattr(display, "channel", c))
        self.channel_actions = (self.addWidget(QLabel(" Channel ")), self.addWidget(self.channel))
        self.policy = QComboBox()
        for policy, text, tip in (
            (
                "shared",
                "Shared scale",
                "One scale for every method: the median of their "
                "99th-percentile errors. Decent methods span the colours; the worst saturate",
            ),
            (
                "per_pane",
                "Per-pane scale",
                "Each pane scaled to its own 99th-percentile error: "
                "where each method errs, not how much (the colour bar shows fractions of it)",
            ),
            ("fixed", "Fixed scale", "The scale you set, for every pane and every run"),
        ):
            self.policy.addItem(text, policy)
            self.policy.setItemData(self.policy.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.scale = QDoubleSpinBox(decimals=2, minimum=0.01, maximum=255.0)
        self.scale.setToolTip("Fixed heatmap scale: levels of 0..255 (SSIM map: 0..1)")
        self.policy.currentIndexChanged.connect(
            lambda _: setattr(display, "scale_policy", self.policy.currentData())
        )
        self.scale.valueChanged.connect(lambda value: setattr(display, "fixed_scale", value))
        self.addWidget(self.policy)
        self.addWidget(self.scale)
        display.events.connect(self.render)
        self.render()

    def render(self, *_) -> None:
        """Show the model's choice; the controls' own signals are held meanwhile, so
        showing a value never writes it back."""
        display = self.display
        self.mode_actions[display.mode].setChecked(True)
        for control in (self.channel, self.policy, self.scale):
            control.blockSignals(True)
        self.channel.setCurrentText(display.channel)
        self.policy.setCurrentIndex(self.policy.findData(display.scale_policy))
        self.scale.setValue(display.fixed_scale)
        self.scale.setEnabled(display.scale_policy == "fixed")
        for control in (self.channel, self.policy, self.scale):
            control.blockSignals(False)

    def set_mode(self, mode: str) -> None:
        self.display.mode = mode

    def offer_for(self, kind: str, feature_channel: int | None = None) -> None:
        """Offer the modes an input of `kind` has, shown whole or as `feature_channel`
        (FLIP: photos only; signed: not for a PCA view or labels); the others are disabled,
        their tooltip says why, and a mode not offered falls back to |Diff| (signed) or the
        image. The colour Channel box is shown for photos only: a feature or label map's
        views compare its values (derived.view_kind), not its colours."""
        self.kind = kind
        for mode, action in self.mode_actions.items():
            reason = unavailable(mode, kind, feature_channel)
            action.setEnabled(not reason)
            action.setToolTip(f"{self.tip(mode)}. Not here: {reason}" if reason else self.tip(mode))
        if unavailable(self.display.mode, kind, feature_channel):
            self.set_mode("abs" if self.display.mode == "signed" else "image")
        colours = kind in COLOUR_CHANNEL_KINDS
        for action in self.channel_actions:
            action.setVisible(colours)
        if not colours:
            self.display.channel = "luma"

    @staticmethod
    def tip(mode: str) -> str:
        """A mode button's tooltip: its whole name (the button shows a short one), then what
        it shows."""
        return f"{MODE_LABELS[mode]}: {MODE_TIPS[mode]}"

    def cycle_mode(self) -> None:
        """Image → |difference| → signed difference → image (from a spectrum: image), past
        the modes this input does not have (a label map's signed view: D went there, and
        showed a luma difference under a disabled button)."""
        mode = self.display.mode
        start = CYCLED.index(mode) if mode in CYCLED else -1
        for step in range(1, len(CYCLED) + 1):
            following = CYCLED[(start + step) % len(CYCLED)]
            if self.mode_actions[following].isEnabled():
                self.set_mode(following)
                return

    def toggle_spectrum(self) -> None:
        self.set_mode("image" if self.display.mode == "spectrum" else "spectrum")


class ColourBar(pg.GraphicsLayoutWidget):
    """One colour bar for every heatmap pane: it shows the display's map and the grid's
    scale (which follows the views the grid has computed)."""

    def __init__(self, grid: PaneGrid) -> None:
        super().__init__()
        self.grid = grid
        self.setFixedWidth(110)
        policy = self.sizePolicy()  # hidden (images), it keeps its place: no reflow on D
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        grid.views.changed.connect(self.refresh)
        self.refresh()

    @cached_property
    def bar(self) -> pg.ColorBarItem:
        """Made with the first heatmap: the window starts on images."""
        bar = pg.ColorBarItem(
            values=(0, 1), colorMap=colour_map("abs"), interactive=False, width=18
        )
        # The values in the title's units: no SI prefix ("0..400 (x0.001)" for 0..0.4).
        bar.axis.enableAutoSIPrefix(False)
        self.addItem(bar)
        return bar

    def refresh(self) -> None:
        mode = self.grid.model.display.mode
        self.setVisible(mode != "image")
        if mode == "image":
            return
        self.bar.setColorMap(colour_map(mode))
        self.bar.setLevels(self.grid.views.levels())
        self.bar.axis.setLabel(self.title())
        # pyqtgraph centres the label on a resize only: a new title stayed where the first
        # (empty) one was put, and ran off the top of a 700-px-high window.
        self.bar.axis.resizeEvent()
        self.setToolTip(self.meaning())

    def title(self) -> str:
        """What the colours show, in which units, short enough for the bar."""
        display = self.grid.model.display
        title = self.grid.views.title()
        if display.mode not in FIXED_MODES and not self.grid.views.has_own_levels():
            title += {"per_pane": " × pane's own p99", "shared": " shared", "fixed": " fixed"}[
                display.scale_policy
            ]
        return title

    def meaning(self) -> str:
        """The whole story, for the tooltip."""
        display = self.grid.model.display
        text = self.grid.views.meaning()
        if display.mode not in FIXED_MODES and not self.grid.views.has_own_levels():
            text += {
                "shared": ". One scale for every method: the median of their 99th-percentile "
                "errors (the worst methods saturate)",
                "per_pane": ". Each pane on its own scale: 1 is its own 99th-percentile error",
                "fixed": ". The scale you set",
            }[display.scale_policy]
        return text

    def levels(self) -> tuple[float, float]:
        return tuple(self.bar.levels())

    def legend(self) -> Legend | None:
        """What the colours mean, for exported pictures; None while panes show images."""
        mode = self.grid.model.display.mode
        if mode == "image":
            return None
        return Legend(mode, *self.grid.views.levels(), self.title())
