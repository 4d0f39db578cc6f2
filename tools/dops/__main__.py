from dops.cli import main

main()
