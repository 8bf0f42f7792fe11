"""A course site's Sphinx configuration: myst-nb executes the notebooks while building
(as Jupyter Book does) and puts each output's text/html into the page."""

project = "redpill tour"
extensions = ["myst_nb"]
exclude_patterns = ["_build"]
nb_execution_mode = "force"
nb_execution_timeout = 300
nb_execution_raise_on_error = True
html_theme = "alabaster"
# myst-nb shows each output's text/html (the live diagram) and warns that it
# skips the custom MIME type beside it: expected, so not a warning (-W builds).
suppress_warnings = ["mystnb.unknown_mime_type"]
