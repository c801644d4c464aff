"""`python -m chinacomply` runs the command line."""

from chinacomply.cli.main import main

main()
