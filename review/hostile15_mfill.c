/* hostile15_mfill.c: 64 KiB mallocs until NULL (under ulimit -d / -v). review/run-hostile15.sh */
#include <stdio.h>
#include <stdlib.h>
int main(void) { long n = 0; while (malloc(65536)) n++; printf("64 KiB blocks: %ld\n", n); return 0; }
