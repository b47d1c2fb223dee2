// Linux errno values (asm-generic/errno-base.h, errno.h) and the one error type the kernel throws.
export const E = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, EINTR: 4, EIO: 5, ENXIO: 6, E2BIG: 7, ENOEXEC: 8, EBADF: 9, ECHILD: 10,
  EAGAIN: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14, ENOTBLK: 15, EBUSY: 16, EEXIST: 17, EXDEV: 18, ENODEV: 19,
  ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENFILE: 23, EMFILE: 24, ENOTTY: 25, ETXTBSY: 26, EFBIG: 27, ENOSPC: 28,
  ESPIPE: 29, EROFS: 30, EMLINK: 31, EPIPE: 32, EDOM: 33, ERANGE: 34, EDEADLK: 35, ENAMETOOLONG: 36, ENOLCK: 37,
  ENOSYS: 38, ENOTEMPTY: 39, ELOOP: 40, ENOMSG: 42, EIDRM: 43, ENOSTR: 60, ENODATA: 61, ETIME: 62, ENOSR: 63,
  ENOLINK: 67, EPROTO: 71, EBADMSG: 74, EOVERFLOW: 75, EBADFD: 77, ELIBBAD: 80, EILSEQ: 84, ERESTART: 85, EUSERS: 87,
  ENOTSOCK: 88, EDESTADDRREQ: 89, EMSGSIZE: 90, EPROTOTYPE: 91, ENOPROTOOPT: 92, EPROTONOSUPPORT: 93,
  ESOCKTNOSUPPORT: 94, EOPNOTSUPP: 95, EPFNOSUPPORT: 96, EAFNOSUPPORT: 97, EADDRINUSE: 98, EADDRNOTAVAIL: 99,
  ENETDOWN: 100, ENETUNREACH: 101, ENETRESET: 102, ECONNABORTED: 103, ECONNRESET: 104, ENOBUFS: 105,
  EISCONN: 106, ENOTCONN: 107, ESHUTDOWN: 108, ETOOMANYREFS: 109, ETIMEDOUT: 110, ECONNREFUSED: 111,
  EHOSTDOWN: 112, EHOSTUNREACH: 113, EALREADY: 114, EINPROGRESS: 115, ESTALE: 116, EDQUOT: 122,
  ECANCELED: 125, EOWNERDEAD: 130, ENOTRECOVERABLE: 131,
} as const;
export type ErrnoName = keyof typeof E;

const NAMES: string[] = [];
for (const [k, v] of Object.entries(E)) NAMES[v] = k;
export const errnoName = (n: number): string => NAMES[n] ?? `E${n}`;

/** A Linux error inside the kernel; turned into -errno once, at syscall dispatch. */
export class LinuxError extends Error {
  constructor(readonly errno: number, detail?: string) {
    super(detail ? `${errnoName(errno)}: ${detail}` : errnoName(errno));
  }
}

/** Throw helper: `throw err(E.ENOENT)` reads like the man page's ERRORS section. */
export const err = (errno: number, detail?: string): LinuxError => new LinuxError(errno, detail);

/** Map a Node.js host error (err.code like 'ENOENT') to a Linux errno; unknown codes become EIO. */
export function fromHostError(e: unknown): LinuxError {
  if (e instanceof LinuxError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && code in E) return new LinuxError(E[code as ErrnoName]);
  if (code === 'EWOULDBLOCK') return new LinuxError(E.EAGAIN);
  return new LinuxError(E.EIO, String((e as Error)?.message ?? e));
}

const MESSAGES: Record<number, string> = {
  [E.EPERM]: 'Operation not permitted', [E.ENOENT]: 'No such file or directory', [E.EIO]: 'Input/output error',
  [E.E2BIG]: 'Argument list too long', [E.ENOEXEC]: 'Exec format error', [E.EBADF]: 'Bad file descriptor',
  [E.ENOMEM]: 'Cannot allocate memory', [E.EACCES]: 'Permission denied', [E.EFAULT]: 'Bad address',
  [E.EEXIST]: 'File exists', [E.ENOTDIR]: 'Not a directory', [E.EISDIR]: 'Is a directory',
  [E.EINVAL]: 'Invalid argument', [E.ETXTBSY]: 'Text file busy', [E.ENAMETOOLONG]: 'File name too long',
  [E.ELOOP]: 'Too many levels of symbolic links', [E.ENOSYS]: 'Function not implemented',
  [E.ENODEV]: 'No such device', [E.EBUSY]: 'Device or resource busy', [E.EROFS]: 'Read-only file system',
  [E.EFBIG]: 'File too large',
};
/** strerror(3) text for the errors a launch (or a boot's mounts) can meet. */
export const strerror = (errno: number): string => MESSAGES[errno] ?? `Unknown error ${errno}`;
