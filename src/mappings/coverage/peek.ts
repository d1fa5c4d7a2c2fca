import { detectMapFormat } from './readers/sniff-format.js';
import type { MapMetadata } from './types.js';

/**
 * A map's metadata from a cheap look, when that look can tell that it records no commit; else
 * undefined (read the map). Such a map cannot be checked against the diff (docs/design.md), so
 * detect runs the full suite without it, and reading a 1 GB foreign map first would only delay
 * that answer by minutes.
 *
 * - GitLab/tff JSON (direct or packed) and istanbul folders have no place for a commit at all:
 *   the format alone answers.
 * - Crystalball: the metadata document at the top of each file (the commit when every file of
 *   a folder lacks one; a folder where some file has one is read in full, as before).
 * - Native maps open lazily already (their header is the first thing read): undefined.
 */
export async function peekNoCommitMetadata(path: string): Promise<MapMetadata | undefined> {
  const format = await detectMapFormat(path);
  switch (format) {
    case 'native':
      return undefined;
    case 'gitlab-json':
    case 'gitlab-packed':
    case 'istanbul-folder':
      return { format, granularity: 'file' };
    case 'crystalball': {
      const { crystalballFiles, crystalballMetadata, readCrystalballMetadata } = await import('./readers/crystalball.js');
      const files = await crystalballFiles(path);
      if (files.length === 0) return undefined;
      const metas = [];
      for (const f of files) {
        const meta = await readCrystalballMetadata(f);
        if (meta.commit) return undefined;
        metas.push(meta);
      }
      // The newest file's metadata, as the full read would keep (timestamp for the age check).
      const newest = metas.reduce((a, b) => ((b.timestamp ?? -Infinity) > (a.timestamp ?? -Infinity) ? b : a));
      return crystalballMetadata(newest);
    }
  }
}
