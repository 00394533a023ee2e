"""hplint: a static-analysis linter for machine-learning training code."""

__version__ = "0.1.0"
