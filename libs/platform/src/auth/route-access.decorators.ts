import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ProblemDetailsDto } from '../http/problem-details.dto';
import { Roles } from './roles.decorator';

/** The 401 of every signed-in route: the codes the JWT guard answers with. */
export const UNAUTHENTICATED_DESCRIPTION =
  'AUTH_UNAUTHENTICATED, AUTH_TOKEN_INVALID, AUTH_TOKEN_EXPIRED or AUTH_SESSION_REVOKED';
/** The 403 of every admin-only route. */
export const ADMIN_ONLY_DESCRIPTION = 'AUTH_FORBIDDEN: the admin role is required';

/**
 * A route for any signed-in caller (a customer acts on their own resources, an admin on
 * anyone's): the bearer token, and its 401 in the OpenAPI document. On a class or a handler.
 */
export const SignedInRoute = (): ClassDecorator & MethodDecorator =>
  applyDecorators(
    ApiBearerAuth('bearer'),
    ApiUnauthorizedResponse({ type: ProblemDetailsDto, description: UNAUTHENTICATED_DESCRIPTION }),
  );

export const VERIFIED_EMAIL_REQUIRED = 'verified-email-required';

/**
 * A signed-in route that, with EMAIL_VERIFICATION_REQUIRED=true, an unverified user gets a
 * 403 EMAIL_NOT_VERIFIED from (placing an order, subscribing). The access guard reads the
 * mark once per handler and the flag from the user it loads anyway: no extra lookup.
 */
export const VerifiedEmailRoute = (): MethodDecorator =>
  applyDecorators(
    SetMetadata(VERIFIED_EMAIL_REQUIRED, true),
    ApiForbiddenResponse({
      type: ProblemDetailsDto,
      description: 'EMAIL_NOT_VERIFIED: the email must be verified first (when EMAIL_VERIFICATION_REQUIRED=true)',
    }),
  );

/**
 * A route for admins only: the role check, the bearer token, and their 401 and 403 in the
 * OpenAPI document, in one word. On a class or a handler.
 */
export const AdminRoute = (): ClassDecorator & MethodDecorator =>
  applyDecorators(
    Roles('admin'),
    SignedInRoute(),
    ApiForbiddenResponse({ type: ProblemDetailsDto, description: ADMIN_ONLY_DESCRIPTION }),
  );
