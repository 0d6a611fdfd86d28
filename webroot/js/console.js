// What the facilitator and staff pages share: the catalogue, the language picker, signing in and out.
import { $, api, say, savedAccount, login, logout, signedInApi } from './api.js';
import { init, t, errorText, languagePicker } from './i18n.js';

export const CONSOLE_LANGUAGES = ['en', 'fr', 'es', 'ar', 'ru', 'zh'];

/**
 * Sets up the page: catalogue, picker, the sign-in form and the sign-out button.
 *   onSignIn(account): after a sign-in (or at start with a saved one)
 *   onSignOut(): before the sign-in form shows again
 * Returns {call(method, path, body), account(), signOut(text)}.
 */
export async function consolePage({ onSignIn, onSignOut }) {
  await init('console', CONSOLE_LANGUAGES);
  languagePicker($('#ui-language'));
  const msg = $('#message');
  let account = savedAccount();

  function header() {
    $('#logout').hidden = !account;
    $('#signed-in-as').hidden = !account;
    $('#signed-in-as').textContent = account ? account.account.username : '';
  }

  function signOut(text) {
    onSignOut();
    logout();
    account = null;
    header();
    say(msg, text, 'info');
  }

  $('#login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = $('#login-submit');
    button.disabled = true;
    try {
      account = await login($('#username').value.trim(), $('#password').value);
      $('#password').value = '';
      say(msg, '');
      header();
      await onSignIn(account);
    } catch (err) {
      say(msg, err.status === 429 ? t('signin.wait', { seconds: err.retryAfterSeconds || 60 }) : errorText(err.code, err.message));
    } finally {
      button.disabled = false;
    }
  });

  $('#logout').addEventListener('click', () => {
    // The server refuses this token from now on (every node); signing out here does not wait for it.
    if (account) api('POST', '/api/auth/logout', { token: account.token }).catch(() => {});
    signOut(t('signin.signedOut'));
  });

  const page = {
    call: signedInApi(() => account, () => signOut(t('signin.expired'))),
    account: () => account,
    signOut,
  };
  header();
  return page;
}

/** Runs an action, showing its error (if any) in the message line; disables the button meanwhile. */
export async function run(button, work) {
  if (button) button.disabled = true;
  try {
    return await work();
  } catch (err) {
    if (err.status !== 401) say($('#message'), errorText(err.code, err.message));
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}
