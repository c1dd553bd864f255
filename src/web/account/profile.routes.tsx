import type { MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CERTIFICATE_MAX_BYTES } from '../../domains/accounts/certificate-file.check.ts';
import {
  certificateDownloadHeaders,
  checkCertificateUpload,
  deleteCertificate,
  listCertificates,
  openCertificate,
  storeCertificate,
} from '../../domains/accounts/salon-certificate.service.ts';
import { getSalonProfile, type SalonProfile, salonProfileSchema, saveSalonProfile } from '../../domains/accounts/salon-profile.service.ts';
import { ValidationError } from '../../domains/shared/domain-error.ts';
import { assertCsrf } from '../../platform/http/app.ts';
import { cookieName } from '../../platform/http/cookies.ts';
import { parseInput } from '../../platform/http/input.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { consumeRateLimit } from '../../platform/http/rate-limit.ts';
import { EMPTY_FORM, type FormState, typedValues } from './account-form.tsx';
import { CAN_EDIT, doneCode, inSalonAccount } from './account-scope.ts';
import { ProfilePage } from './profile.view.tsx';

function profileValues(p: SalonProfile): Record<string, string> {
  return {
    business_type: p.business_type,
    company_name: p.company_name,
    company_name_kana: p.company_name_kana,
    salon_name: p.salon_name,
    representative_name: p.representative_name,
    manager_name: p.manager_name,
    establishment_health_center: p.establishment_health_center,
    establishment_number: p.establishment_number,
    establishment_date: p.establishment_date ?? '',
    postal_code: p.postal_code ? `${p.postal_code.slice(0, 3)}-${p.postal_code.slice(3)}` : '',
    prefecture: p.prefecture,
    city: p.city,
    address_line1: p.address_line1,
    address_line2: p.address_line2,
    phone: p.phone,
    invoice_registration_number: p.invoice_registration_number ?? '',
  };
}

export function profileRoutes(app: FastifyInstance, platform: Platform) {
  const stylesheetUrl = () => platform.assets.url('css/app.css');

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { form?: FormState; uploadForm?: FormState; formMessage?: string; status?: number },
  ) => {
    const data = await inSalonAccount(platform, request, undefined, async ({ tx, principal }) => ({
      principal,
      profile: await getSalonProfile(tx, principal.accountId),
      certificates: await listCertificates(tx, principal.accountId),
    }));
    return reply.page(
      <ProfilePage
        stylesheetUrl={stylesheetUrl()}
        csrfToken={request.csrfToken()}
        userName={data.principal.displayName}
        canEdit={CAN_EDIT.includes(data.principal.role)}
        profile={data.profile}
        certificates={data.certificates}
        form={state.form ?? { values: profileValues(data.profile), errors: {} }}
        uploadForm={state.uploadForm ?? EMPTY_FORM}
        formMessage={state.formMessage}
        done={state.status ? undefined : doneCode(request)}
      />,
      { page: 'salon-profile', scripts: ['postal-fill'], status: state.status },
    );
  };

  app.get('/account/profile', (request, reply) => render(request, reply, {}));

  app.post('/account/profile', async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const submit = body?.action === 'submit';
    try {
      const result = await inSalonAccount(platform, request, CAN_EDIT, async ({ tx, principal }) => {
        const input = parseInput(salonProfileSchema, body);
        return saveSalonProfile(tx, principal.accountId, input, { submit });
      });
      return reply.redirect(`/account/profile?done=${submit ? 'submitted' : result.reverification ? 'reverify' : 'saved'}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return render(request, reply, { form: { values: typedValues(body), errors: error.fieldErrors }, formMessage: error.message, status: 400 });
    }
  });

  // Multipart: the CSRF token is a form field read before the file, checked here by hand.
  app.post('/account/profile/certificates', { config: { csrf: 'manual' } }, async (request, reply) => {
    let fields: Record<string, string> = {};
    let file: MultipartFile | undefined;
    let bytes: Buffer | undefined;
    let fileError: string | undefined;
    try {
      // preservePath: see the name as sent (busboy would strip '../' silently), so path tricks are refused, not rewritten.
      file = await request.file({ limits: { fileSize: CERTIFICATE_MAX_BYTES, files: 1 }, preservePath: true });
      fields = Object.fromEntries(
        Object.entries(file?.fields ?? {}).flatMap(([k, v]) => {
          const one = Array.isArray(v) ? v[0] : v;
          return one && one.type === 'field' && typeof one.value === 'string' ? [[k, one.value]] : [];
        }),
      );
      assertCsrf(platform, { body: fields, headers: request.headers, cookies: request.cookies, log: request.log }, cookieName(platform.config, 'csrf'));
      if (file) {
        try {
          bytes = await file.toBuffer();
        } catch {
          fileError = 'ファイルが大きすぎます（5MB まで）。';
        }
      }
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') fileError = 'ファイルを選んでください。';
      else throw error;
    }
    try {
      await consumeRateLimit(platform.database, `certificate-upload:${request.sessionTokenHash ?? request.ip}`, 30, 3600);
      if (fileError) throw new ValidationError({ certificate: fileError });
      if (!file || !bytes || bytes.length === 0) throw new ValidationError({ certificate: 'ファイルを選んでください。' });
      // Who is asking is settled before the file is parsed; a viewer or a stranger gets nothing checked.
      await inSalonAccount(platform, request, CAN_EDIT, async () => undefined);
      const upload = { kind: fields.kind ?? '', name: file.filename ?? '', bytes };
      // Content check before any scope opens: a refused file never reaches the disk or the database.
      await checkCertificateUpload(upload);
      let discard: (() => Promise<void>) | undefined;
      try {
        await inSalonAccount(platform, request, CAN_EDIT, async ({ tx, principal }) => {
          const stored = await storeCertificate(tx, platform.config.dataDir, { ...upload, accountId: principal.accountId, uploadedBy: principal.userId });
          discard = stored.discard;
        });
      } catch (error) {
        await discard?.();
        throw error;
      }
      return reply.redirect('/account/profile?done=uploaded', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return render(request, reply, { uploadForm: { values: { kind: fields.kind ?? '' }, errors: error.fieldErrors }, status: 400 });
    }
  });

  app.get('/account/certificates/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const { meta, body } = await inSalonAccount(platform, request, undefined, ({ tx }) => openCertificate(tx, platform.config.dataDir, id));
    return reply.headers(certificateDownloadHeaders(meta)).send(body);
  });

  app.post('/account/certificates/:id/delete', async (request, reply) => {
    const { id } = request.params as { id: string };
    await inSalonAccount(platform, request, CAN_EDIT, ({ tx, principal }) => deleteCertificate(tx, platform.config.dataDir, principal.accountId, id));
    return reply.redirect('/account/profile?done=deleted', 303);
  });
}
