// Increments a counter in memory with one read-modify-write instruction, many times, and prints it.
// A preemption that restarts an instruction after its store would count some increments twice.
#include <stdio.h>
#include <unistd.h>

static long counter;

int main(void) {
  for (long i = 0; i < 4000000; i++) {
    __asm__ volatile("addq $1, %0" : "+m"(counter));
    if (i % 100000 == 0) getppid(); // a syscall now and then, as real programs make
  }
  printf("%ld\n", counter);
  return 0;
}
