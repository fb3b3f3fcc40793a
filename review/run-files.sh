#!/bin/bash
# kinds 13/14/20: where the trace goes when its path is hostile; root only (makes a user
# u8r<pid>, deleted at the end). One line per program: the outcome (cmp.sh) and what became of
# the path.
cd "$(dirname "$0")" && gcc -O1 -g -Wall -o writer writer.c -lpthread || exit 2
[ "$(id -u)" = 0 ] || { echo "files: not run: not root"; exit 2; }
u=u8r$$; useradd -M -s /bin/false $u || exit 2
D=$(mktemp -d /tmp/u8files.XXXXXX); chmod 1777 $D
trap 'rm -rf $D; userdel $u 2>/dev/null' EXIT
lines() { [ -f "$1" ] && grep -c . "$1" || echo none; }
say() { echo "  $1: $2"; }
# a: pre-created by root itself, 0644
: >$D/a.log; chmod 644 $D/a.log
TF=$D/a.log ./cmp.sh files_own_precreated -- ./writer plain 5; say own_precreated "trace lines $(lines $D/a.log), mode $(stat -c %a $D/a.log)"
# b: a symlink (root's own) to a root file
echo keep >$D/target; ln -s $D/target $D/b.log
TF=$D/b.log ./cmp.sh files_symlink_own -- ./writer plain 5; say symlink_own "target now $(cat $D/target | head -c 40 | tr '\n' ' ')"
# c: a symlink another user made, to a root file
echo keep >$D/target2; su -s /bin/sh $u -c "ln -s $D/target2 $D/c.log"
TF=$D/c.log ./cmp.sh files_symlink_other -- ./writer plain 5; say symlink_other "target now $(head -c 40 $D/target2 | tr '\n' ' ')"
# d: a hard link (root's own, 2 links)
echo keep >$D/target3; ln $D/target3 $D/d.log
TF=$D/d.log ./cmp.sh files_hardlink_own -- ./writer plain 5; say hardlink_own "target now $(head -c 40 $D/target3 | tr '\n' ' ')"
# e: a directory at the path
mkdir $D/e.log
TF=$D/e.log ./cmp.sh files_directory -- ./writer plain 5; say directory "$(ls -A $D/e.log | wc -l) entries in it"
# f: a path in a directory another user owns (0755): the other user can rename and replace it
mkdir $D/other; chown $u $D/other; chmod 755 $D/other
TF=$D/other/f.log ./cmp.sh files_dir_of_other_user -- ./writer plain 5; say dir_of_other_user "trace lines $(lines $D/other/f.log), owner $(stat -c %U $D/other/f.log 2>/dev/null), mode $(stat -c %a $D/other/f.log 2>/dev/null)"
# g: a pre-created file of root, 0666 (anyone may read and write it)
: >$D/g.log; chmod 666 $D/g.log
TF=$D/g.log ./cmp.sh files_own_0666 -- ./writer plain 5; say own_0666 "trace lines $(lines $D/g.log)"
# h: a relative TLSTRACE_FILE; the program chdirs into the other user's directory and closes the
# trace's descriptor: where do later lines go?
mkdir $D/cwd; cd $D/cwd
TF=rel.log $OLDPWD/cmp.sh files_relative_chdir --env U8_DIR=$D/other -- $OLDPWD/writer chdir_close 5
cd $OLDPWD
say relative_chdir "in the start directory: $(lines $D/cwd/rel.log) lines; in the other user's directory: $(lines $D/other/rel.log) lines"
# i: the wrapper's temporary directory: mode, and left behind?
before=$(ls $D | wc -l)
TMPDIR=$D ../tlstrace -- /bin/sh -c 'ls -ld "$(dirname "$TLSTRACE_FILE")" | cut -c1-10; exit 42' >$D/w.out 2>$D/w.err; st=$?
say wrapper_tmpdir "exit $st, its directory $(head -1 $D/w.out), entries left in TMPDIR $(( $(ls $D | wc -l) - before - 2 ))"
# j: TMPDIR missing, and TMPDIR with a space and a glob
TMPDIR=$D/missing ../tlstrace -- /bin/sh -c 'exit 42' >/dev/null 2>$D/w2.err; say wrapper_tmpdir_missing "exit $? ($(head -c 100 $D/w2.err | tr '\n' ' '))"
mkdir "$D/a b*"; TMPDIR="$D/a b*" ../tlstrace -- /bin/sh -c 'echo hi; exit 42' >$D/w3.out 2>$D/w3.err; say wrapper_tmpdir_space "exit $?, stdout $(cat $D/w3.out), left $(ls -A "$D/a b*" | wc -l)"
