import { useQuery } from '@tanstack/react-query'
import type { MySession } from '../../../../common/api-my'
import { memberApi, setMemberCsrf } from './api'

/** The signed-in phone (member or applicant) and the unread count; a 401 sends the page to /m/login. */
export function useMemberSession() {
  return useQuery({
    queryKey: ['my', 'session'],
    queryFn: async () => {
      const s = await memberApi.get<MySession>('/my/session')
      setMemberCsrf(s.csrfToken)
      return s
    },
    staleTime: 30_000,
  })
}
