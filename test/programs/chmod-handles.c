// fchmodat2 (AT_SYMLINK_NOFOLLOW: EOPNOTSUPP on a symlink, works on other files; AT_EMPTY_PATH; EINVAL flags)
// and open_by_handle_at's checks: EPERM without CAP_DAC_READ_SEARCH, EINVAL for a bad size, EBADF for a bad
// mount fd, ESTALE for a handle the filesystem cannot decode.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHOW(label, call) do { errno = 0; long r_ = (call); printf("%s: %ld %s\n", label, r_, r_ < 0 ? strerror(errno) : "ok"); fflush(stdout); } while (0)

static long fchmodat2(int dirfd, const char *path, mode_t mode, int flags) { return syscall(452, dirfd, path, mode, flags); }
static mode_t mode_of(const char *p) { struct stat st; return lstat(p, &st) == 0 ? st.st_mode & 07777 : 0; }

int main(void) {
  unlink("ch.file");
  unlink("ch.link");
  close(open("ch.file", O_CREAT | O_WRONLY, 0644));
  symlink("ch.file", "ch.link");
  SHOW("fchmodat2 follow", fchmodat2(AT_FDCWD, "ch.link", 0600, 0));
  printf("file mode %o\n", mode_of("ch.file"));
  SHOW("fchmodat2 nofollow link", fchmodat2(AT_FDCWD, "ch.link", 0640, AT_SYMLINK_NOFOLLOW));
  SHOW("fchmodat2 nofollow file", fchmodat2(AT_FDCWD, "ch.file", 0640, AT_SYMLINK_NOFOLLOW));
  printf("file mode %o\n", mode_of("ch.file"));
  SHOW("fchmodat2 bad flags", fchmodat2(AT_FDCWD, "ch.file", 0640, 0x1));
  int fd = open("ch.file", O_RDONLY);
  SHOW("fchmodat2 empty path", fchmodat2(fd, "", 0604, AT_EMPTY_PATH));
  SHOW("fchmodat2 empty path without flag", fchmodat2(fd, "", 0604, 0));
  printf("file mode %o\n", mode_of("ch.file"));
  close(fd);

  struct { unsigned int bytes; int type; unsigned char h[128]; } fh;
  memset(&fh, 0, sizeof fh);
  fh.type = 1;
  fh.bytes = 0;
  SHOW("handle size 0", open_by_handle_at(AT_FDCWD, (struct file_handle *)&fh, O_RDONLY));
  fh.bytes = 129;
  SHOW("handle size 129", open_by_handle_at(AT_FDCWD, (struct file_handle *)&fh, O_RDONLY));
  fh.bytes = 8;
  SHOW("bad mount fd", open_by_handle_at(999, (struct file_handle *)&fh, O_RDONLY));
  SHOW("undecodable handle", open_by_handle_at(AT_FDCWD, (struct file_handle *)&fh, O_RDONLY));
  pid_t pid = fork();
  if (pid == 0) {
    if (setuid(65534) != 0) return 1;
    SHOW("non-root", open_by_handle_at(AT_FDCWD, (struct file_handle *)&fh, O_RDONLY));
    return 0;
  }
  int st;
  waitpid(pid, &st, 0);
  unlink("ch.file");
  unlink("ch.link");
  return 0;
}
