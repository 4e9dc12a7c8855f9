"""The monitor in the workspace: targets (streefwaarden and paths) and notes (toelichtingen) per
region and indicator, kept in the database and edited by the region's coordinator. What a target
is, how it is validated and its status (op koers / achter / ver achter) are ``nabij.monitor``'s;
this app only stores, checks access and shows."""
