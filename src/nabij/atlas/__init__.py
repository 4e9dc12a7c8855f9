"""The Atlas: one reference year's validated tables, saved/loaded as Parquet + manifest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nabij.atlas.atlas import Atlas, AtlasMeta, load_atlas, save_atlas

if TYPE_CHECKING:
    from nabij.atlas.build import build_atlas

__all__ = ["Atlas", "AtlasMeta", "build_atlas", "load_atlas", "save_atlas"]


def __getattr__(name: str) -> object:
    # building an atlas (geometry, adjacency, flow model) is imported only when used: loading
    # a stored atlas, which most commands do, does not need shapely's or scipy's geometry
    if name == "build_atlas":
        from nabij.atlas.build import build_atlas

        return build_atlas
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
