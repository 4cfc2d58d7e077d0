import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The lint rule that keeps server layers out of browser code (eslint.config.js). Typed linting needs
 * files the TypeScript project knows, so the snippets are linted as if they were these real files.
 */
const CLIENT_MODULE = 'web/lib/client/wall-state.svelte.ts';
const COMPONENT = 'web/lib/components/VolumeChart.svelte';
const SERVER_LOAD = 'web/routes/wall/+page.server.ts';

describe('browser code import boundary', () => {
  const eslint = new ESLint();
  const restricted = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
    return result!.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').length;
  };

  it('forbids db/, ingest/, server/, realtime internals and $lib/server in browser modules', async () => {
    const imports = [
      "import { openDb } from '$db/open.ts';\nexport const f = openDb;\n",
      "import { analyse } from '../../../ingest/analyse/analyse.ts';\nexport const a = analyse;\n",
      "import { LiveStats } from '$realtime/live-stats.ts';\nexport const l = LiveStats;\n",
      "import { readBodyWithLimit } from '$lib/server/read-body.ts';\nexport const r = readBodyWithLimit;\n",
      "import { Server } from 'socket.io';\nexport const s = Server;\n",
    ];
    for (const code of imports) expect(await restricted(CLIENT_MODULE, code), code).toBeGreaterThan(0);
  });

  it('forbids them in Svelte components too', async () => {
    const code =
      '<script lang="ts">\n  import { openDb } from \'$db/open.ts\';\n  export const f = openDb;\n</script>\n';
    expect(await restricted(COMPONENT, code)).toBe(1);
  });

  it('allows them in server modules, and allows type imports of the event contract', async () => {
    expect(await restricted(SERVER_LOAD, "import { openDb } from '$db/open.ts';\nexport const f = openDb;\n")).toBe(0);
    expect(
      await restricted(
        CLIENT_MODULE,
        "import type { StatsTick } from '$realtime/contract.ts';\nexport type T = StatsTick;\n",
      ),
    ).toBe(0);
  });
});
