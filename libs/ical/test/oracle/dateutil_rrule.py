"""Oracle for the recurrence engine's property test: python-dateutil's rrule.

Usage: dateutil_rrule.py SECONDS_PER_CASE [EXTRA_SYS_PATH]. Reads a JSON list of cases on stdin, each {"dtstart", "rule", "from", "to"} with naive
ISO date-times (wall clock), and prints one JSON list: per case {"starts": [...]} with the
occurrences in [from, to] (between(inc=True)), {"error": message} when dateutil refuses
the rule, {"crash": message} when dateutil itself breaks, or {"timeout": true} when it searches too long (a rule that rarely or never
matches makes dateutil walk towards year 9999).
"""

import json
import signal
import sys
from datetime import datetime

if len(sys.argv) > 2:
    # Where scripts/test.sh unpacks Debian's python3-dateutil when no python has it.
    sys.path.insert(0, sys.argv[2])

from dateutil.rrule import rrulestr  # noqa: E402


class Timeout(Exception):
    pass


def on_alarm(_signum, _frame):
    raise Timeout()


def occurrences(case):
    rule = rrulestr(case["rule"], dtstart=datetime.fromisoformat(case["dtstart"]), cache=False)
    window = [datetime.fromisoformat(case[key]) for key in ("from", "to")]
    return [d.isoformat() for d in rule.between(window[0], window[1], inc=True)]


def answer(case, seconds):
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return {"starts": occurrences(case)}
    except Timeout:
        return {"timeout": True}
    except ValueError as error:
        return {"error": str(error)}
    except IndexError as error:
        # dateutil overruns its masks on ordinals a month cannot hold (BYMONTH with BYDAY=20MO).
        return {"crash": str(error)}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def main():
    signal.signal(signal.SIGALRM, on_alarm)
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
    json.dump([answer(case, seconds) for case in json.load(sys.stdin)], sys.stdout)


main()
