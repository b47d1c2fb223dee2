// The last line: the kill confirmation when one is asked, else the last message (an error in red), else
// the keys.
import { Text } from 'ink';
import { cut, fit } from './format.js';
import { signalName, type Confirm, type Message } from './state.js';

interface Props { confirm: Confirm | null; message: Message | null; width: number; }

const KEYS = '↑↓ select  k SIGTERM  K SIGKILL  tab pane  s sort  q quit';

export function Footer({ confirm, message, width }: Props) {
  if (confirm) {
    const head = `Send ${signalName(confirm.signal)} to pid ${confirm.pid} (`, tail = ')? [y/n]';
    return <Text color="yellow" bold>{fit(head + cut(confirm.command, width - head.length - tail.length) + tail, width)}</Text>;
  }
  if (message) return <Text color={message.error ? 'red' : 'green'}>{fit(message.text, width)}</Text>;
  return <Text dimColor>{fit(KEYS, width)}</Text>;
}
