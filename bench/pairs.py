"""Two commands timed in pairs (A B A B ...), as bench/startup.py times start-up, for a comparison
between tools that take seconds: a shared machine that speeds up or slows down during hyperfine's
blocks (one command's runs, then the other's) biases their ratio; in pairs it slows both alike.

    python bench/pairs.py RUNS "COMMAND A" "COMMAND B"

Prints each command's median, in milliseconds, and the median of the per-pair ratios A/B, as JSON.
"""

import json
import shlex
import sys

from startup import paired

runs, first, second = int(sys.argv[1]), sys.argv[2], sys.argv[3]
print(json.dumps(paired(shlex.split(first), shlex.split(second), runs), indent=1))
