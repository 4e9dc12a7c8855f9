"""`python -m nabij` runs the command line."""

from nabij.cli import main

main()
