import { describe, expect, it } from '@jest/globals';
import { emulatorTargetOf, isLoopback } from '../scripts/action/emulator-target.js';

describe('npm run action talks to the local emulator only', () => {
  it.each([
    ['http://127.0.0.1:4000', true],
    ['http://127.1.2.3:4000', true],
    ['http://localhost:4000', true],
    ['http://[::1]:4000', true],
    ['https://api.github.com', false],
    ['http://10.0.0.5:4000', false],
    ['http://127.0.0.1.evil.example', false],
    ['not a url', false],
  ])('%s: %s', (url, loopback) => {
    expect(isLoopback(url)).toBe(loopback);
  });

  it('refuses the GITHUB_API_URL of a runner or a Codespace, saying what to export', () => {
    expect(() =>
      emulatorTargetOf({ GITHUB_API_URL: 'https://api.github.com', GITHUB_REPOSITORY: 'octo-org/shop' }),
    ).toThrow(/is not on this machine: npm run action talks to the local emulator only/);
    expect(
      emulatorTargetOf({ GITHUB_API_URL: 'http://127.0.0.1:4000/', GITHUB_REPOSITORY: 'local/shop' }),
    ).toEqual({ apiUrl: 'http://127.0.0.1:4000', repository: 'local/shop' });
  });
});
