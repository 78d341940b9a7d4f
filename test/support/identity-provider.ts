import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface IdentityProviderAccount {
  readonly id: string;
  readonly email: string;
  readonly name: string;
}

export interface RunningIdentityProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  stop(): Promise<void>;
}

const SCRIPT = resolve(__dirname, '../../infra/local/identity-provider/demo-identity-provider.mjs');

/**
 * The demo OpenID provider (oidc-provider, ESM-only) as its own process on a free loopback port,
 * with these accounts and one client whose redirect URIs point at `appBaseUrl`.
 */
export async function startIdentityProvider(accounts: readonly IdentityProviderAccount[], appBaseUrl: string): Promise<RunningIdentityProvider> {
  const folder = mkdtempSync(join(tmpdir(), 'quarterly-idp-'));
  const accountsFile = join(folder, 'accounts.json');
  writeFileSync(accountsFile, JSON.stringify(accounts));
  const clientId = 'quarterly-web';
  const clientSecret = `test-secret-${Math.random().toString(36).slice(2)}`;
  const child: ChildProcess = spawn(process.execPath, [SCRIPT], {
    env: {
      PATH: process.env.PATH ?? '',
      IDP_PORT: '0',
      IDP_ACCOUNTS_FILE: accountsFile,
      IDP_CLIENT_ID: clientId,
      IDP_CLIENT_SECRET: clientSecret,
      IDP_REDIRECT_URIS: `${appBaseUrl}/app/auth/callback`,
      IDP_POST_LOGOUT_REDIRECT_URIS: `${appBaseUrl}/app/signed-out`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const issuer = await new Promise<string>((resolveIssuer, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('{')) resolveIssuer((JSON.parse(line) as { issuer: string }).issuer);
    });
    child.once('exit', (code) => reject(new Error(`the identity provider exited (${code}): ${stderr}`)));
  });
  return {
    issuer,
    clientId,
    clientSecret,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
