import { readFileSync } from 'node:fs';
import path from 'node:path';

export const WEB = path.join(import.meta.dirname, '..', 'web');

/**
 * A page of api/web with its sign-in section (api/web/login.html, shared by the customer page and the registry view)
 * put where the page says `<!-- login -->`. The values are this server's constants, not user input.
 */
export function webPage(file: string, login: { title: string; placeholder: string; label: string }): string {
  const section = readFileSync(path.join(WEB, 'login.html'), 'utf8')
    .replace('{{title}}', login.title).replace('{{placeholder}}', login.placeholder).replace('{{label}}', login.label);
  const page = readFileSync(path.join(WEB, file), 'utf8');
  if (!page.includes('<!-- login -->\n')) throw new Error(`api/web/${file} has no <!-- login --> line`);
  return page.replace('<!-- login -->\n', section);
}
