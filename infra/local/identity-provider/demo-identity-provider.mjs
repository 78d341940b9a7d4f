// A real OpenID Connect provider on loopback for the demo and the browser tests (oidc-provider,
// which is ESM-only, hence its own process). Its accounts are the people of a JSON file; signing
// in asks for an e-mail address only — there are no passwords in a demo — and no consent screen
// (Quarterly is a first-party client). Everything else is the real protocol: discovery, the
// authorization-code flow with PKCE (S256, required), signed ID tokens, RP-initiated logout.
//
//   node infra/local/identity-provider/demo-identity-provider.mjs
//
// Configuration (environment):
//   IDP_PORT               port on 127.0.0.1 (0: any free port)                 default 9090
//   IDP_ACCOUNTS_FILE      JSON array of { id, email, name }                    required
//   IDP_CLIENT_ID, IDP_CLIENT_SECRET                                           default quarterly-web / demo secret
//   IDP_REDIRECT_URIS      space-separated redirect URIs of the client          required
//   IDP_POST_LOGOUT_REDIRECT_URIS  space-separated                              optional
// It prints one line of JSON when listening: {"issuer": "http://127.0.0.1:<port>"}.
//
// Claims: `sub` is pairwise (differs per client, as Microsoft Entra ID's does), `oid` is the
// account's stable id, plus `email` and `name`.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const env = process.env;
const required = (name) => {
  const value = env[name];
  if (!value) {
    process.stderr.write(`demo identity provider: ${name} is required\n`);
    process.exit(78);
  }
  return value;
};

const accounts = JSON.parse(readFileSync(required('IDP_ACCOUNTS_FILE'), 'utf8'));
const byId = new Map(accounts.map((account) => [account.id, account]));
const byEmail = new Map(accounts.map((account) => [account.email.toLowerCase(), account]));
const clientId = env.IDP_CLIENT_ID || 'quarterly-web';
const clientSecret = env.IDP_CLIENT_SECRET || 'demo-client-secret-not-for-production';
const redirectUris = required('IDP_REDIRECT_URIS').split(/\s+/).filter(Boolean);
const postLogoutRedirectUris = (env.IDP_POST_LOGOUT_REDIRECT_URIS || '').split(/\s+/).filter(Boolean);

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const page = (title, body) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} – Council sign-in (demo)</title>
<style>body{font-family:Arial,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#0b0c0c}
label{display:block;font-weight:bold;margin:1rem 0 .25rem}input{font-size:1.1rem;padding:.3rem;width:100%;box-sizing:border-box;border:2px solid #0b0c0c}
button{margin-top:1rem;font-size:1.1rem;padding:.5rem 1rem;background:#00703c;color:#fff;border:0;box-shadow:0 2px 0 #002d18;cursor:pointer}
button:focus,input:focus{outline:3px solid #fd0;outline-offset:0}.error{color:#d4351c;font-weight:bold}.hint{color:#484949}</style></head>
<body><main>${body}</main></body></html>`;

const provider = new Provider(await issuerUrl(), {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      post_logout_redirect_uris: postLogoutRedirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  pkce: { required: () => true },
  // Put the profile claims in the ID token itself, as Microsoft Entra ID does.
  conformIdTokenClaims: false,
  claims: { openid: ['sub', 'oid'], email: ['email', 'email_verified'], profile: ['name'] },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Sign out', `<h1>Sign out of the council's sign-in?</h1>${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = page('Signed out', '<h1>You have signed out</h1>');
      },
    },
  },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  findAccount: async (_ctx, id) => {
    const account = byId.get(id);
    if (!account) return undefined;
    return {
      accountId: id,
      claims: async (_use, _scope, _claims, _rejected) => ({
        sub: pairwiseSubject(id),
        oid: account.id,
        email: account.email,
        email_verified: true,
        name: account.name,
      }),
    };
  },
  // First-party client: grant what it asks for, so there is no consent screen.
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['oid']);
    await grant.save();
    return grant;
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('Sign-in error', `<h1>Sign-in error</h1><p class="error">${escape(out.error)}: ${escape(out.error_description ?? '')}</p>`);
  },
});

function pairwiseSubject(accountId) {
  return createHash('sha256').update(`${clientId}:${accountId}`).digest('base64url').slice(0, 22);
}

const listener = provider.callback();
const server = createServer(async (req, res) => {
  try {
    const match = /^\/interaction\/([^/?]+)(\/login)?(?:\?.*)?$/.exec(req.url ?? '');
    if (!match) return listener(req, res);
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'POST' && match[2]) {
      const form = new URLSearchParams(await bodyOf(req));
      const email = (form.get('email') ?? '').trim().toLowerCase();
      const account = byEmail.get(email);
      if (!account) return send(res, 200, loginPage(details.uid, email, true));
      return await provider.interactionFinished(req, res, { login: { accountId: account.id } }, { mergeWithLastSubmission: false });
    }
    if (details.prompt.name === 'login') return send(res, 200, loginPage(details.uid, details.params.login_hint ?? '', false));
    // Any other prompt (consent) is granted: the grant above already covers what is asked.
    const grant = new provider.Grant({ clientId: details.params.client_id, accountId: details.session?.accountId });
    grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    return await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  } catch (error) {
    send(res, 400, page('Sign-in error', `<h1>Sign-in error</h1><p class="error">${escape(error.message ?? error)}</p>`));
  }
});

function loginPage(uid, email, failed) {
  return page(
    'Sign in',
    `<h1>Sign in to your council account</h1>
<p class="hint">Demo identity provider: enter the e-mail address of a demo person. There is no password.</p>
${failed ? `<p class="error" id="email-error">No account has the e-mail address ${escape(email)}.</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login" novalidate>
<label for="email">E-mail address</label>
<input id="email" name="email" type="email" autocomplete="username" spellcheck="false" value="${escape(email)}"${failed ? ' aria-describedby="email-error"' : ''}>
<button type="submit">Sign in</button>
</form>`,
  );
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

function bodyOf(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      data += chunk;
      if (data.length > 10_000) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

// The issuer must be known before the provider is built, so the port is reserved first.
async function issuerUrl() {
  const wanted = Number(env.IDP_PORT ?? 9090);
  if (wanted !== 0) return `http://127.0.0.1:${wanted}`;
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  env.IDP_PORT = String(port);
  return `http://127.0.0.1:${port}`;
}

server.listen(Number(env.IDP_PORT), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ issuer: provider.issuer })}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
