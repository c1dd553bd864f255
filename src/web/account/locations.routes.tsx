import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addLocation, archiveLocation, getLocation, listLocations, salonLocationSchema, setDefaultLocation, updateLocation } from '../../domains/accounts/salon-locations.service.ts';
import { ValidationError } from '../../domains/shared/domain-error.ts';
import { parseInput } from '../../platform/http/input.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { EMPTY_FORM, type FormState, typedValues } from './account-form.tsx';
import { CAN_EDIT, doneCode, inSalonAccount } from './account-scope.ts';
import { LocationEditPage, LocationsPage } from './locations.view.tsx';

export function locationsRoutes(app: FastifyInstance, platform: Platform) {
  const render = async (request: FastifyRequest, reply: FastifyReply, state: { form?: FormState; status?: number } = {}) => {
    const data = await inSalonAccount(platform, request, undefined, async ({ tx, principal }) => ({ principal, locations: await listLocations(tx, principal.accountId) }));
    return reply.page(
      <LocationsPage
        stylesheetUrl={platform.assets.url('css/app.css')}
        csrfToken={request.csrfToken()}
        userName={data.principal.displayName}
        canEdit={CAN_EDIT.includes(data.principal.role)}
        locations={data.locations}
        form={state.form ?? EMPTY_FORM}
        done={state.status ? undefined : doneCode(request)}
      />,
      { page: 'account-locations', scripts: ['postal-fill'], status: state.status },
    );
  };

  app.get('/account/locations', (request, reply) => render(request, reply));

  app.post('/account/locations', async (request, reply) => {
    try {
      await inSalonAccount(platform, request, CAN_EDIT, ({ tx, principal }) => addLocation(tx, principal.accountId, parseInput(salonLocationSchema, request.body)));
      return reply.redirect('/account/locations?done=added', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return render(request, reply, { form: { values: typedValues(request.body), errors: error.fieldErrors }, status: 400 });
    }
  });

  // Editing one location: owners and buyers (CAN_EDIT), the same rules and validation as adding.
  const renderEdit = async (request: FastifyRequest, reply: FastifyReply, id: string, state: { form?: FormState; status?: number } = {}) => {
    const data = await inSalonAccount(platform, request, CAN_EDIT, async ({ tx, principal }) => ({ principal, location: await getLocation(tx, principal.accountId, id) }));
    const l = data.location;
    const saved: FormState = {
      values: { label: l.label, recipient_name: l.recipient_name, postal_code: `${l.postal_code.slice(0, 3)}-${l.postal_code.slice(3)}`, prefecture: l.prefecture, city: l.city, address_line1: l.address_line1, address_line2: l.address_line2, phone: l.phone },
      errors: {},
    };
    return reply.page(
      <LocationEditPage
        stylesheetUrl={platform.assets.url('css/app.css')}
        csrfToken={request.csrfToken()}
        userName={data.principal.displayName}
        locationId={l.id}
        isDefault={l.is_default}
        form={state.form ?? saved}
      />,
      { page: 'account-locations', scripts: ['postal-fill'], status: state.status },
    );
  };

  app.get('/account/locations/:id/edit', (request, reply) => renderEdit(request, reply, (request.params as { id: string }).id));

  app.post('/account/locations/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    try {
      await inSalonAccount(platform, request, CAN_EDIT, ({ tx, principal }) => updateLocation(tx, principal.accountId, id, parseInput(salonLocationSchema, request.body)));
      return reply.redirect('/account/locations?done=updated', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return renderEdit(request, reply, id, { form: { values: typedValues(request.body), errors: error.fieldErrors }, status: 400 });
    }
  });

  app.post('/account/locations/:id/default', async (request, reply) => {
    const { id } = request.params as { id: string };
    await inSalonAccount(platform, request, CAN_EDIT, ({ tx, principal }) => setDefaultLocation(tx, principal.accountId, id));
    return reply.redirect('/account/locations?done=default', 303);
  });

  app.post('/account/locations/:id/archive', async (request, reply) => {
    const { id } = request.params as { id: string };
    await inSalonAccount(platform, request, CAN_EDIT, ({ tx, principal }) => archiveLocation(tx, principal.accountId, id));
    return reply.redirect('/account/locations?done=archived', 303);
  });
}
