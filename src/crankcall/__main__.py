"""`python -m crankcall` runs the command-line interface."""

from crankcall.cli import main

main()
