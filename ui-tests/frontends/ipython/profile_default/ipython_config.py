# The one line a course repository adds for headless runs (nbconvert --execute,
# papermill, Sphinx / Jupyter Book builds, Voilà): every IPython kernel started
# with this profile (IPYTHONDIR pointing here) loads %%redpill.
c = get_config()  # noqa: F821
c.InteractiveShellApp.extensions = ["redpill"]
