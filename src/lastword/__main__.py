from lastword._main import main

main()
