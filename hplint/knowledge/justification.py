"""What makes a comment next to a literal a *reason* for its value (HPL101's
`honour-justification-comments`): a source, a search, an experiment or a constraint.

Descriptions of the call (`# a simple random forest model`, `# maximum depth of a tree`) are not
reasons, and Kaggle-style code is full of them; so a comment justifies a value only when it names
where the value comes from or why it was chosen, through one of these words (matched as whole
words, case-insensitively) or a reference (a URL, `et al`, a year, `arXiv`, `doi`).
"""

from __future__ import annotations

import re

REASON_WORDS: frozenset[str] = frozenset(
    {
        # a source
        "from", "paper", "papers", "authors", "author", "original", "official", "reference", "ref",
        "according", "per", "see", "cf", "docs", "documentation", "recommended", "recommends",
        "recommendation", "suggested", "suggests", "literature", "reproduce", "reproduces",
        "reproducing", "replicate", "standard", "convention", "default", "defaults", "baseline",
        "section", "table", "appendix", "eq", "equation",
        # a search or an experiment
        "tuned", "tuning", "best", "grid", "search", "searched", "sweep", "sweeps", "cv",
        "validation", "validated", "cross-validation", "cross-validated", "optimal", "optimum",
        "optimized", "optimised", "chosen", "selected", "found", "experiment", "experiments",
        "experimentally", "empirically", "empirical", "ablation", "benchmark", "benchmarks",
        "optuna", "hyperopt", "leaderboard", "lb",
        # a reason or a constraint
        "because", "since", "so", "avoid", "avoids", "prevent", "prevents", "overfit",
        "overfitting", "underfitting", "underfit", "stability", "stable", "converge", "converges",
        "convergence", "memory", "gpu", "budget", "limited", "required", "requires",
        "must", "needed", "heuristic", "thumb",
    }
)

REFERENCE = re.compile(r"https?://|\bet al\b|\barxiv\b|\bdoi\b|\b(19|20)\d\d\b", re.IGNORECASE)
