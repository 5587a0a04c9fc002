// The staff login as the browser suites make it: the demo password and a TOTP code from the demo
// secrets the server printed, typed into the login form by its labels.
import type { Page } from 'playwright-core';
import { totpCode, type DemoServer } from './server';

/** What logging in as a demo staff member needs (a DemoServer has it). */
export type StaffLogins = Pick<DemoServer, 'baseUrl' | 'password' | 'secrets'> & { output?: () => string };

/** The TOTP secret of a demo login; fails with the server's output when the demo block lacks it. */
export function demoSecret(logins: StaffLogins, loginName: string): string {
  const secret = logins.secrets[loginName];
  if (!secret) throw new Error(`no TOTP secret for ${loginName} in the demo output:\n${logins.output?.() ?? ''}`);
  return secret;
}

/** Fills the staff login form on the page as it is (/staff/login or the kiosk's), without sending it. */
export async function fillStaffLogin(page: Page, { loginName, password, totp }: { loginName: string; password: string; totp: string }): Promise<void> {
  await page.getByLabel('ログインID', { exact: true }).fill(loginName);
  await page.getByLabel('パスワード', { exact: true }).fill(password);
  await page.getByLabel('確認コード（6桁）', { exact: true }).fill(totp);
}

/** Logs in on /staff/login as `loginName` with a TOTP code of now, and waits for /admin. */
export async function staffLogin(page: Page, logins: StaffLogins, loginName: string): Promise<void> {
  await page.goto('/staff/login');
  await fillStaffLogin(page, { loginName, password: logins.password, totp: totpCode(demoSecret(logins, loginName)) });
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await page.waitForURL(`${logins.baseUrl}/admin`);
}
