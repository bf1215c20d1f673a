// A real OpenID Connect provider for the register's sign-in tests (tests/signin/provider.py starts it).
//
// oidc-provider (certified by the OpenID Foundation) with the test people of
// PEOPLE below, whose groups a test may change, and a login page that asks for
// a username only. Two test-only hooks, under /__test__/, let a test change a
// person's groups and have the next ID token re-signed with the provider's own
// key after a claim was changed (a wrong audience, an expired token): the
// register must refuse a token whose signature is right but whose claims are not.
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const redirectUris = process.env.REDIRECT_URIS.split(' ');
const postLogoutRedirectUris = process.env.POST_LOGOUT_REDIRECT_URIS.split(' ');

const PEOPLE = {
  karin: { name: 'Karin Ek', given_name: 'Karin', family_name: 'Ek', groups: ['grp-ks-handlaggare'] },
  per: { name: 'Per Holm', given_name: 'Per', family_name: 'Holm', groups: ['grp-ks-politiker', 'grp-other'] },
  anna: { name: 'Anna Berg', given_name: 'Anna', family_name: 'Berg', groups: ['grp-ks-admin'] },
  olle: { name: 'Olle Ny', given_name: 'Olle', family_name: 'Ny', groups: ['grp-other'] },
};

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

// Claims to change in the next ID token the token endpoint hands out, then forget.
let nextIdToken = null;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'uppdragsregistret',
      client_secret: 'test-client-secret',
      redirect_uris: redirectUris,
      post_logout_redirect_uris: postLogoutRedirectUris,
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: ['test-cookie-key'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username', 'groups'],
  },
  // As Entra ID does: the groups are in the ID token itself.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const person = PEOPLE[id];
    if (!person) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: `${id}@malmo.example`,
          email_verified: true,
          preferred_username: `${id}@malmo.example`,
          ...person,
        };
      },
    };
  },
});

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString();
  if (req.headers['content-type']?.startsWith('application/json')) return JSON.parse(text || '{}');
  return Object.fromEntries(new URLSearchParams(text));
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

provider.use(async (ctx, next) => {
  const interaction = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (interaction && ctx.method === 'GET') {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    ctx.type = 'html';
    ctx.body = `<!doctype html><html lang="en"><head><title>Test provider</title></head><body>
<h1>Test identity provider</h1>
<form method="post" action="/interaction/${escape(details.uid)}">
<label for="username">Username</label> <input id="username" name="username" autofocus>
<button type="submit">Sign in</button></form></body></html>`;
    return;
  }
  if (interaction && ctx.method === 'POST') {
    const { username } = await readJson(ctx.req);
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (!PEOPLE[username]) {
      ctx.status = 403;
      ctx.body = 'unknown user';
      return;
    }
    const grant = new provider.Grant({ accountId: username, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    await provider.interactionFinished(
      ctx.req,
      ctx.res,
      { login: { accountId: username }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
    ctx.respond = false;
    return;
  }
  const person = ctx.path.match(/^\/__test__\/people\/([^/]+)$/);
  if (person && ctx.method === 'POST') {
    const { groups } = await readJson(ctx.req);
    PEOPLE[person[1]].groups = groups;
    ctx.body = { ok: true };
    return;
  }
  if (ctx.path === '/__test__/next-id-token' && ctx.method === 'POST') {
    nextIdToken = await readJson(ctx.req);
    ctx.body = { ok: true };
    return;
  }
  await next();
  if (ctx.path === '/token' && nextIdToken && ctx.body?.id_token) {
    const claims = { ...decodeJwt(ctx.body.id_token), ...nextIdToken };
    const header = decodeProtectedHeader(ctx.body.id_token);
    ctx.body = { ...ctx.body, id_token: await new SignJWT(claims).setProtectedHeader(header).sign(privateKey) };
    nextIdToken = null;
  }
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`listening ${issuer}`);
});
