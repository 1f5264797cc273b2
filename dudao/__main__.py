import sys

from dudao.cli import main

sys.exit(main())
