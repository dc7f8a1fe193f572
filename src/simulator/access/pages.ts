/**
 * HTML of the simulator's login page (like ID-porten's TestID) and NoGi consent page.
 *
 * The login page has the structure of ID-porten's TestID flow as public end-to-end suites drive it,
 * so one page driver (src/drivers/idporten-testid.ts) serves the simulator and preprod:
 *   Login page    title "TestID – innlogging", form POST {access}/login
 *     <a href="#testid">TestID Lag din egen</a>          the login method choice; shows the form
 *     <label for="pid">Personidentifikator (fødselsnummer/d-nummer)</label>
 *     <input id="pid" name="nin" data-testid="nin-input">   (form field `nin`: the login handler reads it)
 *     <button type="submit" data-testid="login-submit">Autentiser</button>
 *     <a data-testid="login-cancel">Avbryt</a>            → callback error=login_cancelled
 *   Consent page  title "Samtykke – Norsk Gjeldsinformasjon", form POST {access}/consent
 *     [data-testid="consent-client"]   the client's name
 *     [data-testid="consent-scope"]    the scope, e.g. debt.unsecured.presentation
 *     [data-testid="consent-duration"] "30 dager" or "Engangssamtykke (10 minutter)"
 *     <button name="action" value="accept" data-testid="consent-accept">Godta</button>
 *     <button name="action" value="deny"   data-testid="consent-deny">Avslå</button>   → error=consent_denied
 *   Any page      [data-testid="error"] (role="alert") shows an error message
 *   Error page    title "Feil – Norsk Gjeldsinformasjon" (status 400, never a redirect)
 * The flow state lives server-side, keyed by the hidden field login_challenge / consent_challenge.
 */

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #1a1a1a; }
  label { display: block; font-weight: 600; margin-bottom: .25rem; }
  input { font-size: 1.1rem; padding: .5rem; width: 100%; box-sizing: border-box; }
  button, .button { font-size: 1rem; padding: .6rem 1.2rem; margin: 1rem .5rem 0 0; cursor: pointer; }
  [role=alert] { color: #b00020; border: 1px solid #b00020; padding: .5rem; margin: 1rem 0; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
  dt { font-weight: 600; }
  .sim { font-size: .8rem; color: #666; margin-top: 2rem; }
  /* TestID's form shows once TestID is chosen (the #testid fragment), or after a failed attempt. */
  #testid:not(:target):not(.open) { display: none; }
</style>
</head>
<body>
${body}
<p class="sim">NoGi simulator – syntetiske data, ikke et ekte system.</p>
</body>
</html>
`;
}

export function loginPage(p: { action: string; cancelUrl: string; challenge: string; clientName: string; error?: string; nin?: string }): string {
  const error = p.error ? `<p role="alert" data-testid="error">${esc(p.error)}</p>` : '';
  return layout('TestID – innlogging', `<main>
<h1>Velg elektronisk ID</h1>
<p>Logg inn for å gi samtykke til <strong>${esc(p.clientName)}</strong>.</p>
<ul>
  <li><a href="#testid" data-testid="method-testid">TestID <span>Lag din egen</span></a></li>
</ul>
<a href="${esc(p.cancelUrl)}" data-testid="login-cancel" class="button">Avbryt</a>
<section id="testid"${p.error ? ' class="open"' : ''}>
<h2>TestID</h2>
<p>Bruk et syntetisk fødselsnummer, for eksempel 14842249091.</p>
${error}
<form method="post" action="${esc(p.action)}">
  <input type="hidden" name="login_challenge" value="${esc(p.challenge)}">
  <label for="pid">Personidentifikator (fødselsnummer/d-nummer)</label>
  <input name="nin" id="pid" data-testid="nin-input" inputmode="numeric" autocomplete="off" value="${esc(p.nin ?? '')}" aria-describedby="pid-help">
  <p id="pid-help">11 siffer</p>
  <button type="submit" data-testid="login-submit">Autentiser</button>
</form>
</section>
</main>`);
}

export function consentPage(p: { action: string; challenge: string; clientName: string; scope: string; duration: string; purpose: string; error?: string }): string {
  const error = p.error ? `<p role="alert" data-testid="error">${esc(p.error)}</p>` : '';
  return layout('Samtykke – Norsk Gjeldsinformasjon', `<main>
<h1>Samtykke til deling av gjeldsinformasjon</h1>
${error}
<p><strong data-testid="consent-client">${esc(p.clientName)}</strong> ber om å få se din usikrede gjeld hos Norsk Gjeldsinformasjon.</p>
<dl>
  <dt>Formål</dt><dd>${esc(p.purpose)}</dd>
  <dt>Omfang</dt><dd data-testid="consent-scope">${esc(p.scope)}</dd>
  <dt>Varighet</dt><dd data-testid="consent-duration">${esc(p.duration)}</dd>
</dl>
<form method="post" action="${esc(p.action)}">
  <input type="hidden" name="consent_challenge" value="${esc(p.challenge)}">
  <button type="submit" name="action" value="accept" data-testid="consent-accept">Godta</button>
  <button type="submit" name="action" value="deny" data-testid="consent-deny">Avslå</button>
</form>
</main>`);
}

export function errorPage(message: string): string {
  return layout('Feil – Norsk Gjeldsinformasjon', `<main>
<h1>Noe gikk galt</h1>
<p role="alert" data-testid="error">${esc(message)}</p>
</main>`);
}
