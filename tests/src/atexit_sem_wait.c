/* tests/src/atexit_sem_wait.c (t341): an atexit handler waiting on a semaphore nobody posts */
#include <semaphore.h>
#include <stdlib.h>
#include <stdio.h>
#include <unistd.h>
sem_t done_sem;
static void wait_done(void) { sem_wait(&done_sem); }
int main(void) { sem_init(&done_sem, 0, 0); atexit(wait_done); printf("ready\n"); fflush(stdout); return 0; }
