// A program for strace to trace (test/emu/kernel/strace.test.ts): writes, a close that fails, a close
// strace's fault injection fails, an exit status.
#include <errno.h>
#include <unistd.h>

int main(void) {
  write(1, "hello\n", 6);
  if (close(42) < 0 && errno == EBADF) write(2, "EBADF\n", 6);
  if (close(43) < 0 && errno == EPERM) write(2, "EPERM\n", 6);
  return 3;
}
