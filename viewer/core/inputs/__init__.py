"""What the user opens, made ready to run: images, feature maps, label maps, charts,
samples, folders, results made elsewhere, and the low-resolution inputs degraded from them."""
