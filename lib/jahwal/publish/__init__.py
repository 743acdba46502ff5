"""Publishing: the build, TOC, disclosure gate, PDF, headless browser and the Sphinx extensions."""
