"""Writing results: run folders, metrics rows and summaries, contact sheets, comparison
files, and the all-or-nothing file writer."""
