#!/bin/bash
# t073: the Debian package: `dpkg-buildpackage -b -us -uc` builds tlstrace_VERSION_amd64.deb
# (its VERSION the file VERSION's, repeated by debian/changelog), lintian finds no error or warning (info
# tags too are listed in the log; not in the chroots), the package holds the library in a private
# directory, the two commands, the three manual pages (rendered without a groff warning) and the
# copyright; the installed wrapper points at the installed library. Inside tests/chroot the
# package that it built and installed is checked, and the installed commands are run; elsewhere
# it is built from a copy of the tree.
# timeout: 600
. "$(dirname "$0")/lib.sh"
command -v dpkg-buildpackage >/dev/null || skip "dpkg-dev not installed"
[ "${TEST_INSTALLED:-0}" = 1 ] || command -v lintian >/dev/null || skip "lintian not installed"
version=$(sed -n '1s/^tlstrace (\([^)]*\)).*/\1/p' "$ROOT/debian/changelog")
[ -n "$version" ] || fail "no version in debian/changelog"
[ "$(make -s -C "$ROOT" --no-print-directory -f Makefile -f - print-version <<<'print-version: ; @echo $(VERSION)')" = "$version" ] ||
	fail "the Makefile's VERSION is not debian/changelog's $version"
if [ "${TEST_INSTALLED:-0}" = 1 ]; then
	dir=$(cd "$ROOT/.." && pwd)
else
	dir=$W/build
	mkdir -p "$dir/tlstrace"
	tar -C "$ROOT" --exclude=./build --exclude=./tests/out --exclude=./.git -cf - . | tar -C "$dir/tlstrace" -xf -
	(cd "$dir/tlstrace" && dpkg-buildpackage -b -us -uc) >"$W/build.log" 2>&1 || { tail -30 "$W/build.log"; fail "dpkg-buildpackage failed"; }
fi
deb=$dir/tlstrace_${version}_amd64.deb
[ -e "$deb" ] || fail "no $deb"

# lintian where the tree is (Debian 12): once per tree is enough, and in each chroot it would
# cost an install of ~100 packages and a minute per run
if [ "${TEST_INSTALLED:-0}" != 1 ]; then
	lintian --display-info --pedantic "$deb" >"$W/lintian.log" 2>&1
	cat "$W/lintian.log"
	! grep -E "^[EW]: " "$W/lintian.log" || fail "lintian: errors or warnings"
fi

dpkg-deb -c "$deb" | awk '{ print $NF }' | sed 's|^\./||' >"$W/contents"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
for f in usr/lib/$multiarch/tlstrace/libtlstrace.so usr/bin/tlstrace usr/bin/tlstrace-report \
	usr/share/man/man1/tlstrace.1.gz usr/share/man/man1/tlstrace-report.1.gz usr/share/man/man5/tlstrace.5.gz \
	usr/share/doc/tlstrace/copyright usr/share/doc/tlstrace/changelog.gz usr/share/doc/tlstrace/trace-format.md.gz; do
	grep -qx "$f" "$W/contents" || fail "the package lacks $f"
done
dpkg-deb -x "$deb" "$W/x"
for m in "$W"/x/usr/share/man/man?/*.gz; do
	zcat "$m" | grep -q "tlstrace $version" || fail "$m: no version $version"
	! zgrep -q "@[A-Z]*@" "$m" || fail "$m: a placeholder left"
	if command -v groff >/dev/null; then
		zcat "$m" | LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z 2>"$W/groff.err"
		[ ! -s "$W/groff.err" ] || { cat "$W/groff.err"; fail "$m: groff warnings"; }
	fi
done
grep -q "^lib=/usr/lib/$multiarch/tlstrace/libtlstrace.so$" "$W/x/usr/bin/tlstrace" || fail "the wrapper does not name the installed library"

if [ "${TEST_INSTALLED:-0}" = 1 ]; then
	# the installed files, as an operator uses them
	[ "$(dpkg-query -W -f='${Version}' tlstrace)" = "$version" ] || fail "installed version"
	tlstrace-report --version | grep -q "$version" || fail "tlstrace-report --version: $(tlstrace-report --version)"
	cd "$W" || fail "cd"
	tlstrace -o wrapped.trace -- /bin/sh -c 'exit 3' 2>wrapper.err; rc=$?
	[ $rc = 3 ] || { cat wrapper.err; fail "tlstrace: exit status $rc, expected 3"; }
	grep -q "^0 findings" wrapper.err || { cat wrapper.err; fail "tlstrace: no report"; }
	man -w tlstrace-report >/dev/null 2>&1 || note "man-db not installed: man -w not checked"
fi
