#!/bin/sh
# jhog: runs JHog (jhog.jar beside this script) in the JVM, replacing this shell so the
# process is the JVM itself. JVM flags come from JHOG_JAVA_OPTS and from leading arguments
# that start with -X, -D or -verbose; the rest go to JHog.
dir=$(cd "$(dirname "$0")" && pwd)
command -v java >/dev/null 2>&1 || {
	echo "jhog: java not found (Debian package default-jre-headless)" >&2
	exit 127
}
# Rebuild the arguments as: leading JVM flags, -cp JAR JHog, the rest.
n=0
for a; do
	case $a in -X* | -D* | -verbose*) n=$((n + 1)) ;; *) break ;; esac
done
i=0
for a; do
	shift
	[ "$i" -eq "$n" ] && set -- "$@" -cp "$dir/jhog.jar" JHog
	set -- "$@" "$a"
	i=$((i + 1))
done
[ "$i" -eq "$n" ] && set -- "$@" -cp "$dir/jhog.jar" JHog
# shellcheck disable=SC2086 # JHOG_JAVA_OPTS is a list of flags
exec java $JHOG_JAVA_OPTS "$@"
