from kotacerdas.cli import main

main()
