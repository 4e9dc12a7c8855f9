"""The Atlas: one reference year's validated tables, saved/loaded as Parquet + manifest."""

from nabij.atlas.atlas import Atlas, AtlasMeta, load_atlas, save_atlas
from nabij.atlas.build import build_atlas

__all__ = ["Atlas", "AtlasMeta", "build_atlas", "load_atlas", "save_atlas"]
