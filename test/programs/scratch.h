// Scratch directories for the filesystem programs: one made from a mkdtemp template (a tmpfs such as
// /dev/shm is shared with other runs, so its name is never printed) or "t" in the current directory, entered,
// and removed with everything in it when done (the programs run without a shell: no `rm -rf`).
#ifndef PBASH_SCRATCH_H
#define PBASH_SCRATCH_H
// the including program defines _GNU_SOURCE first
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char scratch_path[4096];

/** Make and enter a scratch directory: `tmpl` (mkdtemp) or, for NULL, "t" here. Returns 0 or -1. */
static inline int enter_scratch(const char *tmpl) {
  if (tmpl) {
    snprintf(scratch_path, sizeof scratch_path, "%s", tmpl);
    if (!mkdtemp(scratch_path)) return -1;
  } else if (mkdir("t", 0755) < 0) return -1;
  if (chdir(tmpl ? scratch_path : "t") < 0) return -1;
  return getcwd(scratch_path, sizeof scratch_path) ? 0 : -1;
}

static int remove_one(const char *p, const struct stat *st, int type, struct FTW *f) {
  (void)st; (void)f;
  if (type == FTW_DP) chmod(p, 0700); // a directory left without write permission
  return remove(p) < 0 ? -1 : 0;
}

/** Leave the scratch directory (to its parent) and remove it with its contents. */
static inline void leave_scratch(void) {
  chdir(scratch_path);
  chdir("..");
  nftw(scratch_path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
#endif
