from generator.cli import main

if __name__ == "__main__":  # not when a worker process of the HTML check imports this module
    raise SystemExit(main())
