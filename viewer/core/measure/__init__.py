"""The numbers: image metrics, SSIM, label-map metrics and artifact scores."""
