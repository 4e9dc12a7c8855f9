"""Overleg regions (from a Division), organisations, memberships and roles; the one access
helper :func:`nabij.web.regio.access.visible`."""
