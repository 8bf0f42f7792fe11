"""IPython configuration of the single-user image: every kernel loads the magic at start,
so %%redpill works in headless runs (nbconvert, papermill) and in every front end."""

c.InteractiveShellApp.extensions = ["redpill"]  # noqa: F821 (c is provided by IPython)
