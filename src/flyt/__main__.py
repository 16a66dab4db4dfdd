from flyt.cli.main import main

main()
