// Development/test OpenID Connect provider for Trainyard, built on panva's
// certified `oidc-provider` (v9). NOT for production: users and passwords
// come from a plain JSON file and all state is in memory.
//
//   node end2end/oidc/provider.mjs
//
// Env: OIDC_HOST (127.0.0.1), OIDC_PORT (3050), OIDC_CLIENT_ID (trainyard),
//      OIDC_CLIENT_SECRET (trainyard-dev-secret).
import { createHash, generateKeyPairSync, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider, { errors } from 'oidc-provider';

const host = process.env.OIDC_HOST || '127.0.0.1';
const port = Number(process.env.OIDC_PORT || 3050);
const issuer = `http://${host}:${port}`;
const clientId = process.env.OIDC_CLIENT_ID || 'trainyard';
const clientSecret = process.env.OIDC_CLIENT_SECRET || 'trainyard-dev-secret';

const users = new Map(
  JSON.parse(readFileSync(new URL('./users.json', import.meta.url), 'utf8')).map((u) => [u.username, u]),
);

// Hash both sides so timingSafeEqual always gets equal-length buffers, and
// compare against a dummy for unknown users so timing does not reveal them.
const sha256 = (s) => createHash('sha256').update(String(s)).digest();
function checkPassword(username, password) {
  const user = users.get(username);
  const ok = timingSafeEqual(sha256(user ? user.password : '\0no-such-user'), sha256(password));
  return ok && user ? user : undefined;
}

// A fresh RS256 key per start: avoids oidc-provider's built-in dev keystore
// (and its warning). Clients must re-fetch the JWKS after a provider restart.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'dev-rs256', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    client_name: 'Trainyard',
    // "native" makes oidc-provider match http loopback redirect URIs with any
    // port (RFC 8252 §7.3, see Client#redirectUriAllowed), which is what we
    // need because tests start the app on random ports. It also forces a
    // consent interaction on every authorization; we grant that automatically.
    application_type: 'native',
    redirect_uris: ['http://127.0.0.1/auth/callback', 'http://localhost/auth/callback'],
    post_logout_redirect_uris: ['http://127.0.0.1/', 'http://localhost/'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  responseTypes: ['code'],
  pkce: { required: () => true }, // S256 is the only method oidc-provider v9 supports
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email'],
    groups: ['groups'],
  },
  // The Rust client reads claims from the ID token only, so put scope-requested
  // claims there too (by default they would only be served from userinfo).
  conformIdTokenClaims: false,
  async findAccount(_ctx, sub) {
    const user = users.get(sub);
    if (!user) return undefined;
    return {
      accountId: sub,
      async claims() {
        return {
          sub, name: user.name, preferred_username: sub, email: user.email, groups: user.groups,
        };
      },
    };
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false }, // our own login page below
    rpInitiatedLogout: { enabled: true, logoutSource },
  },
  jwks: { keys: [signingKey] },
  // Plain-http dev cookies (oidc-provider never sets `secure` by itself).
  // Prefixed names: cookies ignore ports, so the app on 127.0.0.1:<port>
  // shares the cookie jar with us.
  cookies: {
    keys: ['trainyard-dev-cookie-key-1'],
    names: { session: 'oidc_session', interaction: 'oidc_interaction', resume: 'oidc_interaction_resume' },
  },
  // Explicit lifetimes (seconds); this also silences oidc-provider's "you should change this" notes.
  ttl: {
    AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Interaction: 3600, Session: 86400, Grant: 86400,
  },
});

// RP-initiated logout: no confirmation click. The form posts logout=yes (end the
// whole OP session, not just this client's) and a tiny inline script submits it;
// the button is the fallback without JavaScript. oidc-provider sets no CSP here.
async function logoutSource(ctx, form) {
  ctx.body = page('Sign out', `<h1>Signing out…</h1>
${form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>')}
<button type="submit" form="op.logoutForm">Sign out</button>
<script>document.getElementById('op.logoutForm').submit();</script>`);
}

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>${body}</body></html>`;
}

function loginPage(uid, { username = '', error } = {}) {
  return page('Sign in', `<h1>Sign in</h1>
${error ? `<p role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login">
  <p><label for="username">Username</label>
  <input id="username" name="username" value="${esc(username)}" autocomplete="username" required autofocus></p>
  <p><label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <button type="submit">Sign in</button>
</form>`);
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error('request body too large');
  }
  return new URLSearchParams(body);
}

// Consent is granted automatically, following the docs' example: extend the
// existing grant (or create one) with whatever the prompt reports as missing.
async function grantConsent(req, res, details) {
  const { prompt: { details: missing }, params, session: { accountId } } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: params.client_id });
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  if (missing.missingResourceScopes) {
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes)) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
  }
  const grantId = await grant.save();
  const consent = details.grantId ? {} : { grantId };
  await provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new errors.SessionNotFound('interaction uid mismatch');
  const { name } = details.prompt;

  if (req.method === 'GET' && !action) {
    if (name === 'consent') return grantConsent(req, res, details);
    return send(res, 200, loginPage(uid));
  }
  if (req.method === 'POST' && action === 'login' && name === 'login') {
    const form = await readForm(req);
    const user = checkPassword(form.get('username') ?? '', form.get('password') ?? '');
    if (!user) {
      return send(res, 401, loginPage(uid, { username: form.get('username'), error: 'Invalid username or password' }));
    }
    return provider.interactionFinished(req, res, { login: { accountId: user.username } }, { mergeWithLastSubmission: false });
  }
  return send(res, 404, page('Not found', '<p>Not found</p>'));
}

const callback = provider.callback();
const server = createServer(async (req, res) => {
  const m = /^\/interaction\/([\w-]+)(?:\/(\w+))?\/?$/.exec(new URL(req.url, issuer).pathname);
  if (!m) return callback(req, res);
  try {
    await interaction(req, res, m[1], m[2]);
  } catch (err) {
    if (err instanceof errors.SessionNotFound) {
      return send(res, 400, page('Sign in expired', '<p>This sign-in attempt has expired. Go back to the application and sign in again.</p>'));
    }
    console.error(err);
    if (!res.headersSent) send(res, 500, page('Error', '<p>Internal error</p>'));
  }
});

server.listen(port, host, () => console.log(`oidc provider listening on ${issuer}`));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}

// Test harnesses start one provider per run and may be killed without a
// chance to stop it; with OIDC_EXIT_WITH_PARENT=1 it ends when its parent does.
if (process.env.OIDC_EXIT_WITH_PARENT === '1') {
  const parent = process.ppid;
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 500).unref();
}
