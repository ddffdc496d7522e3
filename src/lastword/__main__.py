from lastword._cli import main

main(prog_name="lastword")
