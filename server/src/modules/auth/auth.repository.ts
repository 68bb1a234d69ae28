import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { accountColumns } from '../users/users.repository.js'

/** A phone session as member_session_of (0029) gives it. */
export interface MemberSessionRow {
  phone_hash: string
  csrf_token: string
  last_seen_at: Date
  member_id: number | null
  name: string | null
  union_id: number | null
  org_path: string | null
  org_name: string | null
}

/** Authentication reads accounts before any jurisdiction exists, so it uses the owner connection. */
export function authRepository(db: Kysely<DB>) {
  return {
    findUserByName: (username: string) => db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst(),

    /** Whether the account has logged in from this address before (unknown accounts: id 0, never). */
    isFamiliarAddress: async (userId: number, ip: string) =>
      (await db
        .selectFrom('login_address')
        .select('user_id')
        .where('user_id', '=', userId)
        .where('ip', '=', ip)
        .where('last_success_at', '>', sql<Date>`now() - interval '180 days'`)
        .executeTakeFirst()) !== undefined,

    rememberAddress: (userId: number, ip: string) =>
      db
        .insertInto('login_address')
        .values({ user_id: userId, ip })
        .onConflict((oc) => oc.columns(['user_id', 'ip']).doUpdateSet({ last_success_at: sql<Date>`now()` }))
        .execute(),

    recordSuccess: (id: number) =>
      db.updateTable('app_user').set({ failed_logins: 0, locked_until: null, last_login_at: new Date() }).where('id', '=', id).execute(),

    /** A new password chosen by the account's owner: the must-change mark goes. */
    setOwnPassword: (id: number, hash: string) =>
      db
        .updateTable('app_user')
        .set({ password_hash: hash, must_change_password: false, password_changed_at: new Date(), updated_at: new Date() })
        .where('id', '=', id)
        .execute(),

    findUserById: (id: number) => db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Ends the account's other sessions (after the owner changed the password). */
    deleteOtherSessions: (userId: number, keepTokenHash: string) =>
      db.deleteFrom('app_session').where('user_id', '=', userId).where('token_hash', '<>', keepTokenHash).execute(),

    createSession: (s: { token_hash: string; user_id: number; csrf_token: string; ip: string | null }) =>
      db.insertInto('app_session').values(s).execute(),

    /** The session with its user and the user's organization path, if the session is still alive (idle and absolute limits). */
    findSession: (tokenHash: string, idleMinutes: number, maxHours: number) =>
      db
        .selectFrom('app_session as s')
        .innerJoin('app_user as u', 'u.id', 's.user_id')
        .leftJoin('org as o', 'o.id', 'u.org_id')
        .select(['s.token_hash', 's.csrf_token', 's.last_seen_at', ...accountColumns, 'o.path as org_path', 'o.name as org_name'])
        .where('s.token_hash', '=', tokenHash)
        .where('s.last_seen_at', '>', sql<Date>`now() - make_interval(mins => ${idleMinutes})`)
        .where('s.created_at', '>', sql<Date>`now() - make_interval(hours => ${maxHours})`)
        .executeTakeFirst(),

    touchSession: (tokenHash: string) =>
      db.updateTable('app_session').set({ last_seen_at: new Date() }).where('token_hash', '=', tokenHash).execute(),

    deleteSession: (tokenHash: string) => db.deleteFrom('app_session').where('token_hash', '=', tokenHash).execute(),

    deleteUserSessions: (userId: number) => db.deleteFrom('app_session').where('user_id', '=', userId).execute(),

    purgeIdle: (idleMinutes: number, maxHours: number) =>
      db
        .deleteFrom('app_session')
        .where((eb) =>
          eb.or([
            eb('last_seen_at', '<', sql<Date>`now() - make_interval(mins => ${idleMinutes})`),
            eb('created_at', '<', sql<Date>`now() - make_interval(hours => ${maxHours})`),
          ]),
        )
        .execute(),

    /**
     * A live phone session with its membership as it is now (a member who left signs in as a phone
     * only): member_session_of (0029). A scoped request reads the same with its scope (db/scope.ts).
     */
    findMemberSession: (tokenHash: string) =>
      sql<MemberSessionRow>`select * from member_session_of(${tokenHash})`
        .execute(db)
        .then((r) => (r.rows[0]?.phone_hash ? r.rows[0] : undefined)),

    touchMemberSession: (tokenHash: string) =>
      db.updateTable('member_session').set({ last_seen_at: new Date() }).where('token_hash', '=', tokenHash).execute(),

    revokeMemberSession: (tokenHash: string) =>
      db
        .updateTable('member_session')
        .set({ revoked_at: new Date() })
        .where('token_hash', '=', tokenHash)
        .where('revoked_at', 'is', null)
        .returning(['member_id'])
        .executeTakeFirst(),

    /** Ends every phone session of a member (signed out everywhere). */
    revokeMemberSessions: (memberId: number) =>
      db
        .updateTable('member_session')
        .set({ revoked_at: new Date() })
        .where('member_id', '=', memberId)
        .where('revoked_at', 'is', null)
        .execute(),

    purgeMemberSessions: () =>
      db
        .deleteFrom('member_session')
        .where((eb) => eb.or([eb('expires_at', '<', sql<Date>`now()`), eb('revoked_at', '<', sql<Date>`now() - interval '30 days'`)]))
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

    insertUser: (u: {
      username: string
      display_name: string
      password_hash: string
      roles: string[]
      org_id: number | null
      must_change_password?: boolean
    }) => db.insertInto('app_user').values(u).returning('id').executeTakeFirstOrThrow(),
  }
}
export type AuthRepository = ReturnType<typeof authRepository>
