import os
import sys

# `python -m hplint` puts the current directory first on sys.path, and that directory is usually the
# tree being checked: a `click.py` or `libcst.py` there would be imported (run) in place of the real
# one. hplint never runs the code it checks, so that entry goes (what `python -P` does); hplint's
# own modules are found through its package, its dependencies in site-packages.
if sys.path and sys.path[0] in ("", os.getcwd()) and not getattr(sys.flags, "safe_path", False):
    del sys.path[0]

from hplint.cli import main  # noqa: E402 - after the sys.path fix on purpose

if __name__ == "__main__":
    main()
