"""`python -m dokdeling`."""

from dokdeling.cli import main

if __name__ == "__main__":
    main()
