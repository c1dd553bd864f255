import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  acceptInviteSchema,
  acceptSalonInvite,
  changeRoleSchema,
  changeSalonUserRole,
  findSalonInvite,
  inviteSalonUser,
  inviteSalonUserSchema,
  listSalonUsers,
  removeSalonUser,
} from '../../domains/accounts/salon-users.service.ts';
import { DomainError, ValidationError } from '../../domains/shared/domain-error.ts';
import { parseInput } from '../../platform/http/input.ts';
import type { Platform } from '../../platform/http/platform.ts';
import { consumeRateLimit } from '../../platform/http/rate-limit.ts';
import { EMPTY_FORM, type FormState, typedValues } from './account-form.tsx';
import { CAN_MANAGE_USERS, doneCode, inSalonAccount } from './account-scope.ts';
import { AcceptInvitePage, UsersPage } from './users.view.tsx';

export function usersRoutes(app: FastifyInstance, platform: Platform) {
  const stylesheetUrl = () => platform.assets.url('css/app.css');
  const acceptUrl = (token: string) => `${platform.config.baseOrigin}/account/invite/${token}`;

  const render = async (request: FastifyRequest, reply: FastifyReply, state: { form?: FormState; error?: string; status?: number } = {}) => {
    const data = await inSalonAccount(platform, request, undefined, async ({ tx, principal }) => ({ principal, users: await listSalonUsers(tx, principal.accountId) }));
    return reply.page(
      <UsersPage
        stylesheetUrl={stylesheetUrl()}
        csrfToken={request.csrfToken()}
        userName={data.principal.displayName}
        currentUserId={data.principal.userId}
        canManage={CAN_MANAGE_USERS.includes(data.principal.role)}
        users={data.users}
        form={state.form ?? EMPTY_FORM}
        done={state.status ? undefined : doneCode(request)}
        error={state.error}
      />,
      { page: 'account-users', status: state.status },
    );
  };

  const actor = (request: FastifyRequest, p: { accountId: string; userId: string }) => ({ accountId: p.accountId, userId: p.userId, ip: request.ip, requestId: String(request.id) });

  app.get('/account/users', (request, reply) => render(request, reply));

  app.post('/account/users/invite', async (request, reply) => {
    await consumeRateLimit(platform.database, `salon-invite:${request.sessionTokenHash ?? request.ip}`, 20, 3600);
    try {
      await inSalonAccount(platform, request, CAN_MANAGE_USERS, async ({ tx, principal }) => {
        const input = parseInput(inviteSalonUserSchema, request.body);
        await inviteSalonUser(tx, actor(request, principal), input, acceptUrl);
      });
      return reply.redirect('/account/users?done=invited', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return render(request, reply, { form: { values: typedValues(request.body), errors: error.fieldErrors }, status: 400 });
    }
  });

  app.post('/account/users/:id/role', async (request, reply) => {
    const { id } = request.params as { id: string };
    try {
      await inSalonAccount(platform, request, CAN_MANAGE_USERS, async ({ tx, principal }) => {
        const { role } = parseInput(changeRoleSchema, request.body);
        await changeSalonUserRole(tx, actor(request, principal), id, role);
      });
      return reply.redirect('/account/users?done=role', 303);
    } catch (error) {
      if (!(error instanceof DomainError) || (error.code !== 'conflict' && error.code !== 'validation_failed')) throw error;
      return render(request, reply, { error: error.message, status: error.code === 'conflict' ? 409 : 400 });
    }
  });

  app.post('/account/users/:id/remove', async (request, reply) => {
    const { id } = request.params as { id: string };
    try {
      await inSalonAccount(platform, request, CAN_MANAGE_USERS, ({ tx, principal }) => removeSalonUser(tx, actor(request, principal), id));
      return reply.redirect('/account/users?done=removed', 303);
    } catch (error) {
      if (!(error instanceof DomainError) || (error.code !== 'conflict' && error.code !== 'forbidden')) throw error;
      return render(request, reply, { error: error.message, status: error.code === 'conflict' ? 409 : 403 });
    }
  });

  // The invitee, not signed in, sets a name and password from the emailed link.
  app.get('/account/invite/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    const invite = await findSalonInvite(platform.database, token);
    return reply.page(
      <AcceptInvitePage stylesheetUrl={stylesheetUrl()} csrfToken={request.csrfToken()} token={token} invite={invite} form={{ values: { display_name: invite.displayName }, errors: {} }} />,
      { page: 'account-invite' },
    );
  });

  app.post('/account/invite/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    await consumeRateLimit(platform.database, `salon-invite-accept:${request.ip}`, 20, 600);
    try {
      const input = parseInput(acceptInviteSchema, request.body);
      const invite = await acceptSalonInvite(platform.database, token, input);
      return reply.redirect(`/account/sign-in?email=${encodeURIComponent(invite.email)}&next=${encodeURIComponent('/account/')}`, 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const invite = await findSalonInvite(platform.database, token);
      const values = typedValues(request.body, ['password', 'password_confirm']);
      return reply.page(
        <AcceptInvitePage stylesheetUrl={stylesheetUrl()} csrfToken={request.csrfToken()} token={token} invite={invite} form={{ values, errors: error.fieldErrors }} />,
        { page: 'account-invite', status: 400 },
      );
    }
  });
}
