"""nabij: planning, monitoring and governance for passend en inclusief onderwijs (NL)."""

__version__ = "0.1.0"

__all__ = ["Atlas", "__version__"]


def __getattr__(name: str):
    if name == "Atlas":
        from nabij.atlas import Atlas

        return Atlas
    raise AttributeError(name)
