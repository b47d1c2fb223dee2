// DrvFs mount options (WSL's drvfs options, as wsl.conf's [automount] options and mount -o take them):
// uid=, gid= (the owner every file shows), umask=, fmask=, dmask= (octal permission bits taken away from
// every entry, files only, directories only, out of 0777), and metadata (Linux chmod/chown kept per host
// file by the instance). Case sensitivity is the host filesystem's own: `case=` is not taken.

export interface DrvFsOptions {
  uid: number | null;
  gid: number | null;
  umask: number | null;
  fmask: number | null;
  dmask: number | null;
  metadata: boolean;
}

export const noDrvFsOptions = (): DrvFsOptions => ({ uid: null, gid: null, umask: null, fmask: null, dmask: null, metadata: false });

/** Options as a comma-separated list; each problem is one short phrase (the option is then left out). */
export function parseDrvFsOptions(text: string): { options: DrvFsOptions; problems: string[] } {
  const options = noDrvFsOptions(), problems: string[] = [];
  for (const opt of text.split(',').map((o) => o.trim()).filter(Boolean)) {
    const eq = opt.indexOf('=');
    const key = eq < 0 ? opt : opt.slice(0, eq), value = eq < 0 ? null : opt.slice(eq + 1);
    switch (key) {
      case 'uid': case 'gid':
        if (value !== null && /^\d{1,10}$/.test(value) && Number(value) < 0xffffffff) options[key] = Number(value);
        else problems.push(`option ${opt}: not an id`);
        break;
      case 'umask': case 'fmask': case 'dmask':
        if (value !== null && /^[0-7]{1,4}$/.test(value)) options[key] = parseInt(value, 8) & 0o777;
        else problems.push(`option ${opt}: not an octal mask`);
        break;
      case 'metadata':
        if (value === null) options.metadata = true;
        else problems.push(`option ${opt}: takes no value`);
        break;
      default: problems.push(`option ${opt}: not a drvfs option here`);
    }
  }
  return { options, problems };
}
