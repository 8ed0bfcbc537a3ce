from newsevents.flows.cli import main

main()
