"""hplint's language server (`hplint server`); needs the `lsp` extra: `pip install 'hplint[lsp]'`.

positions: LSP <-> hplint columns; documents: open scripts and notebooks; linting: the engine's
entry point; convert: LSP diagnostics; configuration: per-file settings and reload; actions: code
actions and hover; server: the pygls wiring and scheduling.
"""

INSTALL_HINT = "`hplint server` needs pygls and lsprotocol: pip install 'hplint[lsp]'"


def available() -> bool:
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        return False
    return True
