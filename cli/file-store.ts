import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { WriteOnceStore } from '../core/journal.ts';

/**
 * A WriteOnceStore in a local folder: each key is a file under `dir`, created with exclusive create
 * (`wx`, O_CREAT|O_EXCL), so the file system itself refuses a second write of a key, as S3's
 * `If-None-Match: *` does. The layout is the evidence store's, so `aws s3 sync s3://<evidence>/ DIR`
 * or `az storage blob download-batch` gives a folder that `--journal DIR` reads.
 */
export function fileStore(dir: string): WriteOnceStore {
  const path = (key: string) => {
    if (!key || key.split('/').some((part) => part === '..' || part === '') || key.startsWith('/')) {
      throw new Error(`journal key ${JSON.stringify(key)} is not a relative path`);
    }
    return join(dir, ...key.split('/'));
  };
  return {
    async create(key, body) {
      const file = path(key);
      await mkdir(dirname(file), { recursive: true });
      try {
        await writeFile(file, body, { flag: 'wx' });
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      }
    },
    async get(key) {
      try {
        return await readFile(path(key), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async list(prefix) {
      // Walk from the deepest folder the prefix names, then filter by the full prefix.
      const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      const start = base ? join(dir, ...base.split('/')) : dir;
      let files: string[];
      try {
        files = (await readdir(start, { recursive: true, withFileTypes: true }))
          .filter((d) => d.isFile())
          .map((d) => relative(dir, join(d.parentPath, d.name)).split(sep).join('/'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      return files.filter((k) => k.startsWith(prefix));
    },
  };
}
