// PTRACE_SINGLESTEP: a tracee stops at an int3 (SIGTRAP), then the tracer steps it one instruction at a
// time through known code, reading the instruction pointer (as an offset from a label) and a register
// after each step; PTRACE_CONT then runs it on without further traps.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

extern char step_start[];

static int child(void) {
  ptrace(PTRACE_TRACEME, 0, 0, 0);
  int v;
  __asm__ volatile("int3\n"
                   ".globl step_start\nstep_start:\n"
                   "mov $1, %%eax\n"
                   "mov $2, %%ecx\n"
                   "add %%ecx, %%eax\n"
                   "lea 5(%%rax,%%rcx,2), %%eax\n"
                   "nop\n"
                   "mov %%eax, %0\n"
                   : "=r"(v) : : "rax", "rcx");
  return v;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  pid_t c = fork();
  if (c == 0) _exit(child());
  int st;
  waitpid(c, &st, 0);
  printf("first stop: sig=%d\n", WIFSTOPPED(st) ? WSTOPSIG(st) : -1);
  siginfo_t si;
  ptrace(PTRACE_GETSIGINFO, c, 0, &si);
  printf("int3 si_code=0x%x\n", si.si_code);
  struct user_regs_struct r;
  ptrace(PTRACE_GETREGS, c, 0, &r);
  printf("at step_start: %d\n", r.rip == (unsigned long)step_start);
  for (int i = 0; i < 5; i++) {
    if (ptrace(PTRACE_SINGLESTEP, c, 0, 0) < 0) { printf("singlestep: %s\n", strerrorname_np(errno)); break; }
    waitpid(c, &st, 0);
    ptrace(PTRACE_GETREGS, c, 0, &r);
    ptrace(PTRACE_GETSIGINFO, c, 0, &si);
    printf("step %d: sig=%d si_code=%d rip=step_start+%ld rax=%lld eflags.TF=%lld\n", i, WSTOPSIG(st), si.si_code,
           (long)(r.rip - (unsigned long)step_start), r.rax & 0xffffffff, (r.eflags >> 8) & 1);
  }
  ptrace(PTRACE_CONT, c, 0, 0);
  waitpid(c, &st, 0);
  printf("end: exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  return 0;
}
