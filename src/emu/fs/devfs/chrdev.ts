// Character devices by number (fs/char_dev.c chrdev_open): a device node on a disk filesystem (VolFs) opens
// the kernel's driver for its major and minor; numbers nothing drives are ENXIO, as on Linux.
import { E, err } from '../../kernel/errno.js';
import type { Task } from '../../kernel/task.js';
import { devMajor, devMinor } from '../constants.js';
import type { Dentry } from '../dentry.js';
import type { OpenFile } from '../file.js';

/** A driver's open: `d` is the node opened (its stat is the node's), `minor` the device's minor number. */
export type CharOpen = (d: Dentry, flags: number, t: Task, minor: number) => OpenFile;

export class CharDevices {
  private readonly majors = new Map<number, CharOpen>();

  register(major: number, open: CharOpen): void { this.majors.set(major, open); }

  open(rdev: number, d: Dentry, flags: number, t: Task): OpenFile {
    const open = this.majors.get(devMajor(rdev));
    if (!open) throw err(E.ENXIO, `no driver for character device ${devMajor(rdev)},${devMinor(rdev)}`);
    return open(d, flags, t, devMinor(rdev));
  }
}
