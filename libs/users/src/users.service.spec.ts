import type { CacheAside } from '@app/platform';
import { UserError } from './users.errors';
import type { UsersRepository } from './users.repository';
import { activeUserCacheKey, profileCacheKey, UsersService } from './users.service';
import type { UserProfile } from './user.read-model';

const profile = (id: string): UserProfile => ({
  id,
  email: `${id}@example.com`,
  name: 'N',
  roles: ['customer'],
  status: 'active',
  emailVerified: false,
  mfaEnabled: false,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
});

describe('UsersService (repository substituted)', () => {
  const repository = {
    findActiveUser: jest.fn(),
    findProfile: jest.fn(),
    update: jest.fn(),
    softDelete: jest.fn(),
    setPasswordHash: jest.fn(),
    list: jest.fn(),
  };
  const cache = {
    getOrLoad: jest.fn((_key: string, load: () => Promise<unknown>) => load().then((value) => ({ value, hit: false }))),
    invalidate: jest.fn(() => Promise.resolve()),
  };
  const sessions = { liveSessionIds: jest.fn(() => Promise.resolve(['s1'])) };
  const service = new UsersService(
    repository as unknown as UsersRepository,
    cache as unknown as CacheAside,
    { activeUserCacheTtlMs: 30_000 },
    sessions,
  );

  beforeEach(() => jest.clearAllMocks());

  it('reads the active user for a session through the cache with the configured TTL', async () => {
    repository.findActiveUser.mockResolvedValue({ id: 'u1', email: 'a@b.c', roles: ['customer'] });
    await expect(service.checkSession('u1', 's1', 0)).resolves.toEqual({
      status: 'active',
      user: { id: 'u1', email: 'a@b.c', roles: ['customer'] },
    });
    expect(cache.getOrLoad).toHaveBeenCalledWith(
      activeUserCacheKey('u1'),
      expect.any(Function),
      expect.objectContaining({ ttlMs: 30_000 }),
    );
  });

  it("answers the port's uncached active-user read from the repository, never the cache", async () => {
    repository.findActiveUser.mockResolvedValue(null);
    await expect(service.findActiveUserUncached('u1')).resolves.toBeNull();
    expect(cache.getOrLoad).not.toHaveBeenCalled();
  });

  it('drops the cached profile when the password hash changes', async () => {
    await service.setPasswordHash('u3', 'new-hash');
    expect(repository.setPasswordHash).toHaveBeenCalledWith('u3', 'new-hash');
    expect(cache.invalidate).toHaveBeenCalledWith(profileCacheKey('u3'));
  });

  it('drops the cached user at once when an admin changes status or roles', async () => {
    repository.update.mockResolvedValue(profile('u2'));
    await service.adminUpdate('admin', 'u2', { status: 'suspended' });
    expect(cache.invalidate).toHaveBeenCalledWith(activeUserCacheKey('u2'), profileCacheKey('u2'));
  });

  it('refuses to let an admin suspend or delete themselves', async () => {
    await expect(service.adminUpdate('a1', 'a1', { status: 'suspended' })).rejects.toBeInstanceOf(UserError);
    await expect(service.remove('a1', 'a1')).rejects.toMatchObject({ code: 'USER_CANNOT_MODIFY_SELF' });
    expect(repository.update).not.toHaveBeenCalled();
  });

  it('reports an unknown user as USER_NOT_FOUND', async () => {
    repository.findProfile.mockResolvedValue(null);
    await expect(service.getProfile('nope')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    repository.softDelete.mockResolvedValue(false);
    await expect(service.remove('admin', 'nope')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
  });

  it('pages with limit + 1 rows and hands out a cursor only when there is more', async () => {
    repository.list.mockResolvedValue([
      profile('01000000-0000-7000-8000-000000000001'),
      profile('01000000-0000-7000-8000-000000000002'),
      profile('01000000-0000-7000-8000-000000000003'),
    ]);
    const page = await service.list({}, 2);
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(repository.list).toHaveBeenCalledWith({}, 2, undefined);
    await expect(service.list({}, 2, 'garbage')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  describe('checkSession (one cached entry: the user and their live sessions)', () => {
    const user = { id: 'u1', email: 'a@b.c', roles: ['customer'] };
    let stored: unknown;
    const storingCache = (_key: string, load: () => Promise<unknown>) =>
      stored === undefined
        ? load().then((value) => ({ value: (stored = value), hit: false }))
        : Promise.resolve({ value: stored, hit: true });

    beforeEach(() => {
      stored = undefined;
      cache.getOrLoad.mockImplementation(storingCache);
      cache.invalidate.mockImplementation(() => Promise.resolve((stored = undefined)));
      repository.findActiveUser.mockResolvedValue(user);
    });

    it('accepts a live session and refuses an ended one', async () => {
      await expect(service.checkSession('u1', 's1', 0)).resolves.toEqual({ status: 'active', user });
      await expect(service.checkSession('u1', 'gone', 0)).resolves.toEqual({ status: 'session-ended' });
      // An old token of an ended session never reloads: replaying it costs no query.
      expect(repository.findActiveUser).toHaveBeenCalledTimes(1);
    });

    it('reads again for a session newer than the cached entry (a login served elsewhere)', async () => {
      await service.checkSession('u1', 's1', Date.now());
      sessions.liveSessionIds.mockResolvedValueOnce(['s1', 's2']);
      await expect(service.checkSession('u1', 's2', Date.now())).resolves.toEqual({ status: 'active', user });
      expect(cache.invalidate).toHaveBeenCalledWith(activeUserCacheKey('u1'));
      expect(repository.findActiveUser).toHaveBeenCalledTimes(2);
    });

    it('says the user is inactive before anything about sessions', async () => {
      repository.findActiveUser.mockResolvedValue(null);
      await expect(service.checkSession('u1', 's1', 0)).resolves.toEqual({ status: 'user-inactive' });
    });

    it('drops the entry in every process when sessions end', async () => {
      await service.sessionsEnded('u1');
      expect(cache.invalidate).toHaveBeenCalledWith(activeUserCacheKey('u1'));
    });
  });
});
