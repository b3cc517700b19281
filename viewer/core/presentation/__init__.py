"""How results and pixels read as text, defined once for every place that shows them: the
metric columns (metrics.json/csv, summary.csv, the metrics table, the dataset view), pane
and sheet captions, and pixel values (the inspector, the status bar, the tag beside the
cursor, the numbers inside zoomed pixels). Qt-free: widgets and file writers only call it."""
