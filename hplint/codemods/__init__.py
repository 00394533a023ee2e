"""Codemods: whole-file rewrites that go beyond one finding's fix.

`extract_config` moves the hyperparameters HPL101 reports into one place (module constants, a
dataclass, argparse flags or a TOML file); `hoist` is HPL101's single-finding fix built on it.
Both read HPL101's own selection (`HardcodedHyperparameter.hardcoded_calls`), never a copy of it.
"""
