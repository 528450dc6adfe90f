from csprcli.entry import main

main()
