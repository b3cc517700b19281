"""The Qt window: it shows and steers the engine in `viewer.core`, and computes nothing heavy."""
