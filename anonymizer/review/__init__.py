"""Review before publishing: re-render a kept analysis with a person's edits (``apply``), and the local
review page that writes those edits (``server``)."""
