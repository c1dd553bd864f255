import { DEVELOPMENT_PROVIDER_HOSTS, type ProviderHostPolicy } from '../domains/payments/provider-hosts.ts';
import { verifyPaymentSettings } from '../domains/security/payment-settings.verify.ts';
import type { RaisedSecurityEvent, SecurityEventInput } from '../domains/security/security-events.service.ts';
import { raiseSecurityEvent } from '../domains/security/security-events.service.ts';
import { verifyStoredTexts } from '../domains/security/stored-text.verify.ts';
import { writeVerifierHeartbeat } from '../domains/security/verifier-heartbeat.service.ts';
import type { Database } from '../platform/db/database.ts';
import { differenceFingerprint, type FilePassResult, problemCount } from './verifier-pass.ts';

/**
 * Turns one verifier pass into database state: the stored-text and payment-endpoint checks, a critical event for any
 * file difference (platform-wide: every shop's cards stop), a separate one when the verifier's own
 * files are among them, and the heartbeat. Evidence is attached the first time this process sees a
 * given difference; later passes only count occurrences (and re-engage the stop if it was lifted
 * while the event is still open).
 */

export interface VerifierRecordState {
  instance: string;
  intervalSeconds: number;
  /** Hashes of stored texts found clean (see verifyStoredTexts). */
  cleanTexts: Set<string>;
  /** Fingerprints whose evidence this process already stored. */
  evidenced: Set<string>;
  /** Which payment endpoints the stored settings may name (providerHostPolicy(config)). */
  providerHosts: ProviderHostPolicy;
}

export function newVerifierRecordState(instance: string, intervalSeconds: number, providerHosts: ProviderHostPolicy = DEVELOPMENT_PROVIDER_HOSTS): VerifierRecordState {
  return { instance, intervalSeconds, cleanTexts: new Set(), evidenced: new Set(), providerHosts };
}

export interface RecordedPass {
  raised: RaisedSecurityEvent[];
  problems: number;
  textsChecked: number;
}

const MAX_LISTED = 200;

function fileEvents(pass: FilePassResult): SecurityEventInput[] {
  if (!pass.manifestOk) {
    return [
      {
        tenantId: null,
        layer: 'build_verifier',
        severity: 'critical',
        kind: 'build.manifest-invalid',
        summary: `署名済みビルドマニフェストを検証できません: ${pass.manifestError}`,
        fingerprint: differenceFingerprint(pass),
        evidence: [{ kind: 'verifier-result', data: { at: pass.at, manifestError: pass.manifestError } }],
      },
    ];
  }
  const c = pass.check!;
  if (problemCount(pass) === 0) return [];
  const events: SecurityEventInput[] = [
    {
      tenantId: null,
      layer: 'build_verifier',
      severity: 'critical',
      kind: 'build.files-differ',
      summary: `サーバーのファイルが署名済みビルドと一致しません（変更 ${c.modified.length}・追加 ${c.added.length}・削除 ${c.missing.length}）: ${[...c.modified, ...c.added, ...c.missing].slice(0, 3).join(', ')}`,
      fingerprint: differenceFingerprint(pass),
      evidence: [
        {
          kind: 'verifier-result',
          data: {
            at: pass.at,
            manifestCreatedAt: pass.manifestCreatedAt,
            manifestKeyId: pass.manifestKeyId,
            filesChecked: c.filesChecked,
            modified: c.modified.slice(0, MAX_LISTED),
            added: c.added.slice(0, MAX_LISTED),
            missing: c.missing.slice(0, MAX_LISTED),
            durationMs: c.durationMs,
          },
        },
      ],
    },
  ];
  if (pass.verifierFilesTouched.length) {
    events.push({
      tenantId: null,
      layer: 'build_verifier',
      severity: 'critical',
      kind: 'build.verifier-tampered',
      summary: `検証プロセス自身のファイルが変更されています: ${pass.verifierFilesTouched.slice(0, 3).join(', ')}`,
      fingerprint: `build:verifier:${differenceFingerprint(pass)}`,
      evidence: [{ kind: 'verifier-result', data: { at: pass.at, files: pass.verifierFilesTouched } }],
    });
  }
  return events;
}

export async function recordVerifierPass(database: Database, pass: FilePassResult, state: VerifierRecordState): Promise<RecordedPass> {
  const started = performance.now();
  const texts = await verifyStoredTexts(database, state.cleanTexts);
  const settings = await verifyPaymentSettings(database, state.providerHosts);
  const inputs = [...fileEvents(pass), ...texts.findings, ...settings.findings];
  const raised: RaisedSecurityEvent[] = [];
  for (const input of inputs) {
    const first = !state.evidenced.has(input.fingerprint);
    raised.push(await raiseSecurityEvent(database, first ? input : { ...input, evidence: [] }));
    state.evidenced.add(input.fingerprint);
  }
  const problems = problemCount(pass) + texts.findings.length + settings.findings.length;
  await writeVerifierHeartbeat(database, {
    instance: state.instance,
    intervalSeconds: state.intervalSeconds,
    filesChecked: pass.check?.filesChecked ?? 0,
    textsChecked: texts.textsChecked,
    problems,
    durationMs: Math.round((pass.check?.durationMs ?? 0) + performance.now() - started),
    manifestSignedAt: pass.manifestCreatedAt ? new Date(pass.manifestCreatedAt) : null,
    manifestKeyId: pass.manifestKeyId,
  });
  return { raised, problems, textsChecked: texts.textsChecked };
}
