"""What a pane can show besides its image, defined once for the window and the files:
derived views, faithful minified views, label overlays, colours, profiles, spectra."""
