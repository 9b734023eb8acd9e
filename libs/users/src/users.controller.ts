import { AdminRoute, AuthenticatedUser, CurrentUser, ProblemDetailsDto, SignedInRoute } from '@app/platform';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminUpdateUserDto } from './dto/admin-update-user.dto';
import { ListUsersQueryDto } from './dto/list-users.query.dto';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { UserIdParams } from './dto/user-id.params';
import { UserPageResponse, UserResponse } from './dto/user.response';
import { UsersService } from './users.service';

@ApiTags('users')
@SignedInRoute()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "The caller's profile" })
  @ApiOkResponse({ type: UserResponse })
  me(@CurrentUser() user: AuthenticatedUser): Promise<UserResponse> {
    return this.users.getProfile(user.id);
  }

  @Patch('me')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Update the caller's profile" })
  @ApiOkResponse({ type: UserResponse })
  updateMe(@CurrentUser() user: AuthenticatedUser, @Body() body: UpdateProfileDto): Promise<UserResponse> {
    return this.users.updateOwnProfile(user.id, body);
  }

  @Get()
  @AdminRoute()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'List users (admin)' })
  @ApiOkResponse({ type: UserPageResponse })
  list(@Query() query: ListUsersQueryDto): Promise<UserPageResponse> {
    return this.users.list({ status: query.status, email: query.email }, query.limit, query.cursor);
  }

  @Get(':id')
  @AdminRoute()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'One user (admin)' })
  @ApiOkResponse({ type: UserResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'USER_NOT_FOUND (also an account that was deleted)' })
  get(@Param() params: UserIdParams): Promise<UserResponse> {
    return this.users.getProfile(params.id);
  }

  @Patch(':id')
  @AdminRoute()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Change a user's roles or status (admin); suspension locks the user out within 30 s" })
  @ApiOkResponse({ type: UserResponse })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'USER_NOT_FOUND (also an account that was deleted)' })
  update(
    @CurrentUser() actor: AuthenticatedUser,
    @Param() params: UserIdParams,
    @Body() body: AdminUpdateUserDto,
  ): Promise<UserResponse> {
    return this.users.adminUpdate(actor.id, params.id, body);
  }

  @Delete(':id')
  @AdminRoute()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Soft-delete a user (admin)' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'USER_NOT_FOUND (also an account that was deleted)' })
  remove(@CurrentUser() actor: AuthenticatedUser, @Param() params: UserIdParams): Promise<void> {
    return this.users.remove(actor.id, params.id);
  }
}
