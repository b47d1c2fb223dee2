// System V shared memory: shmget's key rules and limits, shmat (anywhere, SHM_RND, SHM_REMAP, SHM_RDONLY),
// sharing with a forked child, shm_nattch through fork, mprotect splits, exec and exit, IPC_STAT fields that
// do not depend on time or pids, IPC_SET, SHM_LOCK, IPC_RMID while attached (SHM_DEST, key freed, gone
// with the last detach), IPC_INFO and SHM_INFO. Run natively in a private IPC namespace.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

#define KEY 0x5eed0001

static void stat_line(const char *what, int id) {
  struct shmid_ds ds;
  if (shmctl(id, IPC_STAT, &ds) < 0) { printf("%s: IPC_STAT -1 %s\n", what, strerrorname_np(errno)); return; }
  printf("%s: key=%#x size=%zu mode=%o nattch=%lu uid=%u gid=%u cuid=%u cgid=%u\n", what, ds.shm_perm.__key,
         ds.shm_segsz, ds.shm_perm.mode, (unsigned long)ds.shm_nattch, ds.shm_perm.uid, ds.shm_perm.gid,
         ds.shm_perm.cuid, ds.shm_perm.cgid);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  show("size 0", shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600));
  show("missing key", shmget(KEY, 100, 0600));
  int id = shmget(KEY, 10000, IPC_CREAT | IPC_EXCL | 0600);
  printf("created: %s\n", id >= 0 ? "yes" : strerrorname_np(errno));
  show("IPC_CREAT|IPC_EXCL again", shmget(KEY, 10000, IPC_CREAT | IPC_EXCL | 0600));
  printf("same key, same id: %d\n", shmget(KEY, 5000, 0) == id);
  show("bigger than the segment", shmget(KEY, 20000, 0));
  int priv = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0644);
  printf("private is another: %d\n", priv >= 0 && priv != id);
  stat_line("fresh", id);

  char *p = shmat(id, NULL, 0);
  printf("attached: %s\n", p == (void *)-1 ? strerrorname_np(errno) : "yes");
  stat_line("one attach", id);
  strcpy(p, "parent");
  memset(p + 9000, 'z', 1000);
  // SHM_RND, SHM_REMAP and unaligned addresses
  char *want = (char *)0x300000000;
  show("unaligned", (long)shmat(priv, want + 123, 0));
  char *r = shmat(priv, want + 123, SHM_RND);
  printf("SHM_RND rounds down: %d\n", r == want);
  show("over a mapping without SHM_REMAP", (long)shmat(priv, want, 0));
  printf("SHM_REMAP replaces: %d\n", shmat(priv, want, SHM_REMAP) == want);
  show("shmdt of the second attach", shmdt(want));
  show("shmdt of the first", shmdt(want));
  show("shmdt again", shmdt(want));
  show("shmdt of a non-attach", shmdt(p + 4096));

  int sync_pipe[2], go[2];
  pipe2(sync_pipe, O_CLOEXEC);
  pipe(go);
  pid_t c = fork();
  if (c == 0) {
    close(sync_pipe[0]);
    stat_line("child after fork", id);
    printf("child sees \"%s\" %c\n", p, p[9999]);
    strcpy(p, "child");
    char *ro = shmat(id, NULL, SHM_RDONLY);
    printf("child read-only attach sees \"%s\"\n", ro);
    stat_line("child with two attaches", id);
    shmdt(ro);
    dup2(go[0], 0);
    execl("/bin/sh", "sh", "-c", "read x", (char *)NULL);
    _exit(127);
  }
  close(sync_pipe[1]);
  char b;
  read(sync_pipe[0], &b, 1); // EOF: the child has exec'd
  printf("parent sees \"%s\"\n", p);
  stat_line("child exec'd", id);
  write(go[1], "\n", 1);
  waitpid(c, NULL, 0);

  // mprotect splits an attach into two VMAs: each counts
  mprotect(p, 4096, PROT_READ);
  stat_line("split by mprotect", id);
  mprotect(p, 4096, PROT_READ | PROT_WRITE);

  struct shmid_ds ds;
  shmctl(id, IPC_STAT, &ds);
  ds.shm_perm.mode = 0640;
  show("IPC_SET", shmctl(id, IPC_SET, &ds));
  show("SHM_LOCK", shmctl(id, SHM_LOCK, NULL));
  stat_line("locked", id);
  show("SHM_UNLOCK", shmctl(id, SHM_UNLOCK, NULL));

  struct shminfo info;
  int maxidx = shmctl(0, IPC_INFO, (struct shmid_ds *)&info);
  printf("IPC_INFO: maxidx=%d shmmni=%lu shmmin=%lu shmseg=%lu\n", maxidx, info.shmmni, info.shmmin, info.shmseg);
  struct shm_info sinfo;
  shmctl(0, SHM_INFO, (struct shmid_ds *)&sinfo);
  printf("SHM_INFO: used=%d pages=%lu\n", sinfo.used_ids, sinfo.shm_tot);

  show("IPC_RMID while attached", shmctl(id, IPC_RMID, NULL));
  stat_line("marked", id);
  show("the key is free", shmget(KEY, 100, 0));
  strcpy(p, "still mapped");
  printf("after IPC_RMID: \"%s\"\n", p);
  show("shmdt", shmdt(p));
  stat_line("after the last detach", id);
  show("IPC_RMID of the private one", shmctl(priv, IPC_RMID, NULL));
  show("SHM_INFO used", shmctl(0, SHM_INFO, (struct shmid_ds *)&sinfo) >= 0 ? sinfo.used_ids : -1);
  return 0;
}
