/* syscall-count N [exec]: N raw getpid calls and N failing close(-1) calls (EBADF), then, with "exec",
 * one execve of itself with N=0. The telemetry test counts these at the dispatch point. */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 0;
    for (long i = 0; i < n; i++) {
        syscall(SYS_getpid);
        syscall(SYS_close, -1);
    }
    if (argc > 2 && strcmp(argv[2], "exec") == 0) {
        char *args[] = { argv[0], "0", NULL };
        execv(argv[0], args);
        return 2;
    }
    return 0;
}
