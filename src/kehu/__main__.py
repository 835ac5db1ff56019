from kehu.cli.app import main

main()
