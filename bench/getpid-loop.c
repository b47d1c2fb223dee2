/* getpid-loop N: make N raw getpid system calls, then exit 0.
 * Compiled by bench/run.mjs with gcc -static; run with N=0 and N=big to get the per-call cost. */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    long sum = 0;
    for (long i = 0; i < n; i++) sum += syscall(SYS_getpid);
    /* Use the result so the loop cannot be dropped; exit 0 whatever the pid. */
    return sum == -1 ? 1 : 0;
}
