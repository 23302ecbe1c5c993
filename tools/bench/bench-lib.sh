# SPDX-License-Identifier: Apache-2.0
#
# bench-lib.sh - helpers the tools/bench-*.sh scripts share (POSIX sh; source
# it with ". tools/bench/bench-lib.sh"): fields of mnet-bench --json and of the
# peers' output lines, and the median of a column of numbers.

# jfield NAME JSON: the value of NAME in a mnet-bench --json object
jfield() {
	echo "$2" | sed -n "s/.*\"$1\": \"\{0,1\}\([^,}\"]*\).*/\1/p" | head -n1
}

# jstring NAME JSON: a string value that may hold commas
jstring() {
	echo "$2" | sed -n "s/.*\"$1\": \"\([^\"]*\)\".*/\1/p" | head -n1
}

# pfield NAME LINE: NAME=value of a peer's output line
pfield() {
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n1
}

# median: the median of the numbers on stdin, one per line
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
