import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The nginx binary: `$REPROKIT_NGINX`, else Debian's `/usr/sbin/nginx`, else the first
 * `nginx` on PATH. Throws with the install command when there is none.
 */
export function findNginx(): string {
  const candidates = [
    process.env.REPROKIT_NGINX,
    '/usr/sbin/nginx',
    ...(process.env.PATH ?? '').split(delimiter).map((folder) => join(folder, 'nginx')),
  ];
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === '') continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there or not executable: try the next.
    }
  }
  throw new Error(
    'nginx is not installed: run `bash scripts/install-system-packages.sh` (Debian: apt-get install -y nginx-light), or set REPROKIT_NGINX to its path',
  );
}
