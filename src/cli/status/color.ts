// Colour policy: chalk's level (ink colours through the same chalk) is 0 when the output is not a terminal
// or NO_COLOR is set to a non-empty value (no-color.org); chalk itself does not read NO_COLOR.
import chalk, { type ColorSupportLevel } from 'chalk';

export function colorLevel(env: NodeJS.ProcessEnv, isTTY: boolean, detected: ColorSupportLevel): ColorSupportLevel {
  return !isTTY || (env.NO_COLOR ?? '') !== '' ? 0 : detected;
}

export function applyColorPolicy(out: NodeJS.WriteStream, env = process.env): void {
  chalk.level = colorLevel(env, out.isTTY === true, chalk.level);
}
