// The terminal's size, updated when it is resized (SIGWINCH: the stdout stream's 'resize' event).
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface Size { cols: number; rows: number; }

export function useTerminalSize(): Size {
  const { stdout } = useStdout();
  const read = (): Size => ({ cols: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = (): void => setSize(read());
    stdout.on('resize', onResize);
    return () => { stdout.off('resize', onResize); };
  }, [stdout]);
  return size;
}
