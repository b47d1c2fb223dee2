// Linux ABI constants of the file layer (x86-64 values: include/uapi/asm-generic/fcntl.h, linux/stat.h, linux/fcntl.h).

/** File type bits of st_mode (S_IFMT) and the types. */
export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;
export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ISVTX = 0o1000;

export const isDir = (mode: number): boolean => (mode & S_IFMT) === S_IFDIR;
export const isReg = (mode: number): boolean => (mode & S_IFMT) === S_IFREG;
export const isLnk = (mode: number): boolean => (mode & S_IFMT) === S_IFLNK;

/** d_type of linux_dirent64: the file type bits shifted down (fs/fs_types.c). */
export const DT_UNKNOWN = 0;
export const dtype = (mode: number): number => (mode & S_IFMT) >>> 12;

/** open(2) flags. */
export const O = {
  ACCMODE: 0o3, RDONLY: 0, WRONLY: 0o1, RDWR: 0o2,
  CREAT: 0o100, EXCL: 0o200, NOCTTY: 0o400, TRUNC: 0o1000, APPEND: 0o2000, NONBLOCK: 0o4000,
  DSYNC: 0o10000, ASYNC: 0o20000, DIRECT: 0o40000, LARGEFILE: 0o100000, DIRECTORY: 0o200000,
  NOFOLLOW: 0o400000, NOATIME: 0o1000000, CLOEXEC: 0o2000000, SYNC: 0o4010000, PATH: 0o10000000,
  TMPFILE: 0o20000000,
} as const;

/** Flags that only matter at open time and are not kept in the open file description (fs/open.c). */
export const O_OPEN_ONLY = O.CREAT | O.EXCL | O.NOCTTY | O.TRUNC | O.CLOEXEC;
/** Status flags F_SETFL may change (fs/fcntl.c SETFL_MASK; O_DIRECT and O_NOATIME are kept, with no effect here). */
export const O_SETFL_MASK = O.APPEND | O.NONBLOCK | O.ASYNC | O.DIRECT | O.NOATIME;

/** *at() flags and the special dirfd. */
export const AT_FDCWD = -100;
export const AT = {
  SYMLINK_NOFOLLOW: 0x100, REMOVEDIR: 0x200, EACCESS: 0x200, SYMLINK_FOLLOW: 0x400,
  NO_AUTOMOUNT: 0x800, EMPTY_PATH: 0x1000, STATX_SYNC_TYPE: 0x6000,
} as const;

/** renameat2(2) flags. */
export const RENAME_NOREPLACE = 1;
export const RENAME_EXCHANGE = 2;
export const RENAME_WHITEOUT = 4;

export const PATH_MAX = 4096;
export const NAME_MAX = 255;
/** Symlinks followed in one resolution (include/linux/namei.h MAXSYMLINKS). */
export const MAXSYMLINKS = 40;

/** access(2) modes. */
export const R_OK = 4;
export const W_OK = 2;
export const X_OK = 1;

export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;
export const SEEK_DATA = 3;
export const SEEK_HOLE = 4;

/** utimensat(2) special nanosecond values. */
export const UTIME_NOW = (1 << 30) - 1;
export const UTIME_OMIT = (1 << 30) - 2;

/** Filesystem magic numbers (include/uapi/linux/magic.h). */
export const MAGIC = {
  EXT4: 0xef53, PROC: 0x9fa0, TMPFS: 0x01021994, SYSFS: 0x62656572, DEVTMPFS: 0x01021994, MQUEUE: 0x19800202,
} as const;

/** Linux dev_t encoding as glibc's makedev does (major 12+ bits, minor 20+ bits). */
export const makedev = (major: number, minor: number): number =>
  ((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) * 0x1000)) >>> 0;
export const devMajor = (dev: number): number => (dev >>> 8) & 0xfff;
export const devMinor = (dev: number): number => (dev & 0xff) | ((dev >>> 12) & ~0xff);

/** fallocate(2) modes (linux/falloc.h). */
export const FALLOC = { KEEP_SIZE: 0x01, PUNCH_HOLE: 0x02, COLLAPSE_RANGE: 0x08, ZERO_RANGE: 0x10, INSERT_RANGE: 0x20 } as const;
