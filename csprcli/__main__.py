from csprcli.cli import main

main()
