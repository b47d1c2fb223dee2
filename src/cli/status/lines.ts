// A pane's content as lines with a tone each; the pane shows a scrolled window of them.
export type Tone = 'title' | 'header' | 'warn' | 'plain' | 'dim';
export interface Line { text: string; tone: Tone; }
