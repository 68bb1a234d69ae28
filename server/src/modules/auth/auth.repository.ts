import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'

/** Authentication reads accounts before any jurisdiction exists, so it uses the owner connection. */
export function authRepository(db: Kysely<DB>) {
  return {
    findUserByName: (username: string) => db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst(),

    /**
     * Counts a failure; locks at maxFailures (a lock in force is not extended). After a lock has run
     * out the count starts again, so one more wrong password does not lock the account again.
     * just_locked: this failure set the lock.
     */
    recordFailure: (id: number, lockMinutes: number, maxFailures: number) =>
      db
        .updateTable('app_user')
        .set({
          failed_logins: sql<number>`case when locked_until <= now() then 1 else failed_logins + 1 end`,
          locked_until: sql<Date | null>`case when locked_until <= now() then (case when 1 >= ${maxFailures} then now() + make_interval(mins => ${lockMinutes}) end)
                                              when locked_until is null and failed_logins + 1 >= ${maxFailures} then now() + make_interval(mins => ${lockMinutes})
                                              else locked_until end`,
        })
        .where('id', '=', id)
        .returning([
          'failed_logins',
          'locked_until',
          sql<boolean>`coalesce(locked_until = now() + make_interval(mins => ${lockMinutes}), false)`.as('just_locked'),
        ])
        .executeTakeFirstOrThrow(),

    /**
     * Clears the failures of a good login, unless the account was locked meanwhile (by guesses checked
     * concurrently with this one); false then, and the login must be refused.
     */
    recordSuccess: async (id: number) =>
      (await db
        .updateTable('app_user')
        .set({ failed_logins: 0, locked_until: null, last_login_at: new Date() })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', sql<Date>`now()`)]))
        .returning('id')
        .executeTakeFirst()) !== undefined,

    createSession: (s: { token_hash: string; user_id: number; csrf_token: string; ip: string | null }) =>
      db.insertInto('app_session').values(s).execute(),

    /** The session with its user and the user's organization path, if the session is still alive. */
    findSession: (tokenHash: string, idleMinutes: number) =>
      db
        .selectFrom('app_session as s')
        .innerJoin('app_user as u', 'u.id', 's.user_id')
        .leftJoin('org as o', 'o.id', 'u.org_id')
        .select([
          's.token_hash',
          's.csrf_token',
          's.last_seen_at',
          'u.id',
          'u.username',
          'u.display_name',
          'u.roles',
          'u.org_id',
          'u.active',
          'o.path as org_path',
          'o.name as org_name',
        ])
        .where('s.token_hash', '=', tokenHash)
        .where('s.last_seen_at', '>', sql<Date>`now() - make_interval(mins => ${idleMinutes})`)
        .executeTakeFirst(),

    touchSession: (tokenHash: string) =>
      db.updateTable('app_session').set({ last_seen_at: new Date() }).where('token_hash', '=', tokenHash).execute(),

    deleteSession: (tokenHash: string) => db.deleteFrom('app_session').where('token_hash', '=', tokenHash).execute(),

    deleteUserSessions: (userId: number) => db.deleteFrom('app_session').where('user_id', '=', userId).execute(),

    purgeIdle: (idleMinutes: number) =>
      db
        .deleteFrom('app_session')
        .where('last_seen_at', '<', sql<Date>`now() - make_interval(mins => ${idleMinutes})`)
        .execute(),

    countUsers: async () =>
      Number(
        (
          await db
            .selectFrom('app_user')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),

    insertUser: (u: { username: string; display_name: string; password_hash: string; roles: string[]; org_id: number | null }) =>
      db.insertInto('app_user').values(u).returning('id').executeTakeFirstOrThrow(),
  }
}
export type AuthRepository = ReturnType<typeof authRepository>
