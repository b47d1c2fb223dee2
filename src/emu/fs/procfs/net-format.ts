// What the /proc/net listings share: kernel addresses as %pK prints them.
import { randomInt } from 'node:crypto';

const pointers = new WeakMap<object, string>();

/**
 * A kernel object's address as %pK prints it with kptr_restrict 0 (pbash has no kptr_restrict sysctl, so
 * Linux's default): a hashed value, 32 bits zero-extended to 16 digits, the same for the object's life.
 */
export function kernelPointer(o: object): string {
  let p = pointers.get(o);
  if (p === undefined) pointers.set(o, p = randomInt(1, 0x100000000).toString(16).padStart(16, '0'));
  return p;
}
