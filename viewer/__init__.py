"""Upsample Viewer: see and measure what each deep-learning upsampler does to an image."""
